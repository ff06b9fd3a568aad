import ClinicBox
import ClinicBoxCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Dental treatment plans: FDI tooth numbers, planned → done, totals, and a record that does not change once done.
@Suite struct TreatmentsAPITests {
    /// A dental practice with patients and treatments and one person in each role; its clinician is the dentist.
    static func practice() async throws -> ClinicScenario {
        try await ClinicScenario(tenant: "dent", domain: "dental", features: ["patients", "treatments"])
    }

    @Test func toothNumbersFollowFDI() async throws {
        try await Self.practice().run { practice in
            let dentist = try await practice.signIn("clinician@example.com")
            let patient = try await practice.patient(as: dentist)
            for (tooth, valid) in [
                (11, true), (18, true), (48, true), (51, true), (85, true), (19, false), (10, false), (49, false), (56, false), (90, false),
            ] {
                let response = try await dentist.post("treatments", ["patient_id": patient, "tooth": tooth, "procedure": "filling", "fee": 100])
                #expect(response.status == (valid ? .created : .unprocessableContent), "tooth \(tooth)")
            }
        }
    }

    @Test func aPlanAddsUpAndDoneWorkIsFixed() async throws {
        try await Self.practice().run { practice in
            let dentist = try await practice.signIn("clinician@example.com")
            let desk = try await practice.signIn("staff@example.com")
            let patient = try await practice.patient(as: dentist)
            let crown = try await dentist.create("treatments", ["patient_id": patient, "tooth": 36, "procedure": "crown", "fee": 45_000])
            let filling = try await dentist.create("treatments", ["patient_id": patient, "tooth": 11, "procedure": "filling", "fee": 8_000])
            let removed = try await dentist.create("treatments", ["patient_id": patient, "procedure": "whitening", "fee": 20_000])
            #expect(try await dentist.delete("treatments/\(removed["id"] as? Int ?? 0)").status == .noContent)
            let done = try await dentist.patch("treatments/\(filling["id"] as? Int ?? 0)", ["version": 1, "status": "done"])
            #expect(done.json["status"] as? String == "done" && done.json["done_on"] is String)
            #expect(try await dentist.patch("treatments/\(filling["id"] as? Int ?? 0)", ["version": 2, "fee": 1]).status == .unprocessableContent)
            #expect(try await dentist.delete("treatments/\(filling["id"] as? Int ?? 0)").status == .conflict)

            let plan = try await dentist.get("treatments/plan?patient_id=\(patient)")
            #expect(plan.json["planned_total"] as? Int == 45_000 && plan.json["done_total"] as? Int == 8_000 && plan.json["total"] as? Int == 53_000)
            #expect((plan.json["items"] as? [[String: Any]])?.map { $0["tooth"] as? Int } == [11, 36])
            #expect(try await desk.post("treatments", ["patient_id": patient, "procedure": "x", "fee": 1]).status == .forbidden)
            #expect(try await desk.get("treatments/plan?patient_id=\(patient)").status == .forbidden)
            _ = crown
        }
    }
}
