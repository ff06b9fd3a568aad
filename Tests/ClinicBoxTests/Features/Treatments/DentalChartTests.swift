import ClinicBox
import ClinicBoxCore
import Foundation
import HummingbirdTesting
import Testing

/// The dental chart (issue #31, item 8): surfaces on treatment items, procedures with fees from the tenant file,
/// and the odontogram on a dental patient's chart whose teeth lead to adding a treatment for them.
@Suite struct DentalChartTests {
    static let procedures = """

        procedures:
          - code: FIL2
            name: Composite filling, two or more surfaces
            fee: 6500
          - code: CROWN
            name: Crown
            fee: 25000.50
        """

    static func practice() async throws -> ClinicScenario {
        try await ClinicScenario(tenant: "dent", domain: "dental", features: ["patients", "treatments"], extra: procedures)
    }

    @Test func surfacesAreWrittenAsDentistsWriteThemAndNeedATooth() async throws {
        let practice = try await Self.practice()
        try await practice.run { session in
            let dentist = try await session.signIn("clinician@example.com")
            let patient = try await session.patient(as: dentist)
            for (written, stored) in [("DOM", "MOD"), ("m,o", "MO"), ("F", "B"), ("P", "L"), ("I", "O")] {
                let item = try await dentist.create(
                    "treatments",
                    ["patient_id": patient, "tooth": 36, "surfaces": written, "procedure": "Filling", "fee": 100]
                )
                #expect(item["surfaces"] as? String == stored, "\(written) is stored as \(stored)")
            }
            let twice = try await dentist.post(
                "treatments",
                ["patient_id": patient, "tooth": 36, "surfaces": "MM", "procedure": "Filling", "fee": 100]
            )
            #expect(
                twice.fieldErrors["surfaces"] == "'MM' is not a set of surfaces; write letters of M, O (or I), D, B (or F) and L (or P), e.g. MOD"
            )
            let noTooth = try await dentist.post("treatments", ["patient_id": patient, "surfaces": "O", "procedure": "Filling", "fee": 100])
            #expect(noTooth.fieldErrors["surfaces"] == "need a tooth; surfaces belong to one tooth")
            // The database keeps the one order too, whatever writes to it.
            let database = try await practice.server.databases.database(for: TenantID("dent")!, creating: false)
            await #expect(throws: (any Error).self) { try await database.write { db in try db.execute(sql: "UPDATE treatments SET surfaces = 'X'") } }
        }
    }

    @Test func aProcedureFromTheListBringsItsNameAndFee() async throws {
        let practice = try await Self.practice()
        try await practice.run { session in
            let dentist = try await session.signIn("clinician@example.com")
            let patient = try await session.patient(as: dentist)
            let crown = try await dentist.create("treatments", ["patient_id": patient, "tooth": 11, "procedure_code": "crown"])
            #expect(crown["procedure"] as? String == "Crown" && crown["fee"] as? Int == 2_500_050 && crown["procedure_code"] as? String == "CROWN")
            let discounted = try await dentist.create(
                "treatments",
                ["patient_id": patient, "tooth": 21, "procedure_code": "CROWN", "fee": 2_000_000, "procedure": "Crown, bonded"]
            )
            #expect(
                discounted["procedure"] as? String == "Crown, bonded" && discounted["fee"] as? Int == 2_000_000,
                "what is written wins over the list"
            )
            let unknown = try await dentist.post("treatments", ["patient_id": patient, "procedure_code": "IMPLANT"])
            #expect(unknown.fieldErrors["procedure_code"] == "'IMPLANT' is not one of this clinic's procedures: FIL2, CROWN")
            let neither = try await dentist.post("treatments", ["patient_id": patient, "tooth": 11])
            #expect(neither.fieldErrors["procedure"] != nil && neither.fieldErrors["fee"] != nil, "\(neither.fieldErrors)")
        }
    }

    /// The chart draws the permanent teeth for an adult (and the primary teeth for a child), names every tooth's
    /// work for a screen reader, and each tooth opens the plan with the tooth filled in.
    @Test func theChartShowsEachToothsWorkAndATeethLeadsToAddingATreatment() async throws {
        let practice = try await Self.practice()
        try await practice.run { session in
            let dentist = try await session.signIn("clinician@example.com")
            let adult = try #require(try await dentist.create("patients", TestRecords.ada)["id"] as? Int)
            _ = try await dentist.create(
                "treatments",
                ["patient_id": adult, "tooth": 36, "surfaces": "MOD", "procedure_code": "FIL2", "status": "done"]
            )
            _ = try await dentist.create("treatments", ["patient_id": adult, "tooth": 11, "procedure_code": "CROWN"])
            var browser = WebBrowser(session.client)
            try await browser.signIn(tenant: "dent", email: "clinician@example.com", password: TestUsers.password)
            let chart = try await browser.get("/t/dent/patients/\(adult)").text
            #expect(chart.contains(#"<h2 id="panel-teeth-title">Teeth</h2>"#))
            #expect(
                chart.contains(
                    #"aria-label="Tooth 36: Composite filling, two or more surfaces (mesial, occlusal, distal) done. Add a treatment for it.""#
                )
            )
            #expect(chart.contains(#"aria-label="Tooth 11: Crown planned. Add a treatment for it.""#))
            #expect(
                chart.contains(#"<a href="../treatments?patient=P-000001&amp;tooth=48#add""#) && !chart.contains("Tooth 55:"),
                "an adult's chart shows the permanent teeth"
            )
            // Tooth 36 is lower left of the patient, on the viewer's right: its mesial side (towards the midline) is
            // drawn on the left of the square, blue for done work; the crown's whole-tooth outline on 11 is red.
            #expect(chart.contains(##"fill="#1565c0""##) && chart.contains(##"stroke="#c62828" stroke-width="3""##))

            let plan = try await browser.get("/t/dent/treatments?patient=P-000001&tooth=48")
            #expect(plan.text.contains(#"<h2 id="add">Add to the plan</h2>"#) && plan.text.contains(#"name="tooth" type="number" value="48""#))
            #expect(plan.text.contains("<figure class=\"odontogram\">"), "the plan shows the same chart")
            #expect(plan.text.contains(#"<option value="FIL2">Composite filling, two or more surfaces (EUR 6,500.00)</option>"#))

            let child = try #require(
                try await dentist.create(
                    "patients",
                    ["first_name": "Tom", "last_name": "Kamau", "date_of_birth": "2019-03-02", "confirm_new": true]
                )["id"] as? Int
            )
            let childChart = try await browser.get("/t/dent/patients/\(child)").text
            #expect(
                childChart.contains("Tooth 55: nothing recorded") && childChart.contains("Tooth 85: nothing recorded"),
                "a child's chart shows the primary teeth"
            )
        }
    }
}
