import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ClinicBox
@testable import ClinicBoxCore
@testable import Patients
@testable import Sales

/// The chart's timeline asks every module's sources in one query: each kind of entry reads right, newest first,
/// and what a role may not see is left out before the list is cut, not after.
@Suite struct ChartTimelineTests {
    static func kinds(_ chart: [String: Any]) -> [String?] { (chart["timeline"] as? [[String: Any]])?.map { $0["kind"] as? String } ?? [] }
    static func titles(_ chart: [String: Any]) -> [String?] { (chart["timeline"] as? [[String: Any]])?.map { $0["title"] as? String } ?? [] }

    @Test func aPharmacyChartShowsThePrescriptionWhatWasDispensedAndWhatWasSold() async throws {
        let workspace = try TestWorkspace()
        let server = try await PharmacyFixture.server(workspace, features: ["patients", "inventory", "prescriptions", "sales"])
        try await server.application.test(.router) { client in
            let boss = try await APIClient.signIn(client, tenant: "pharm", email: "boss@example.com")
            let pharmacist = try await APIClient.signIn(client, tenant: "pharm", email: "pharmacist@example.com")
            let cashier = try await APIClient.signIn(client, tenant: "pharm", email: "cashier@example.com")
            let (amoxicillin, _) = try await PharmacyFixture.stock(boss, sku: "AMOX", quantity: 10)
            let (plasters, _) = try await PharmacyFixture.stock(boss, sku: "PLAST", quantity: 10, price: 300)
            let patient = try #require(try await pharmacist.create("patients", TestRecords.ada)["id"] as? Int)
            let rx = try await pharmacist.create(
                "prescriptions",
                [
                    "patient_id": patient,
                    "items": [["medicine": "Amoxicillin", "dose": "1 capsule 3 times a day", "quantity": 6, "product_id": amoxicillin]],
                ]
            )
            let item = try #require((rx["items"] as? [[String: Any]])?.first?["id"] as? Int)
            _ = try await pharmacist.create("prescriptions/\(rx["id"]!)/dispense", ["branch": "main", "items": [["item_id": item, "quantity": 6]]])
            _ = try await cashier.create(
                "sales",
                PharmacyFixture.sale(plasters, 2, payments: [["method": "cash", "amount": 600]], extra: ["patient_id": patient])
            )

            let chart = try await boss.get("patients/\(patient)/chart").json
            #expect(Set(Self.kinds(chart)) == ["prescription", "dispensing", "sale"], "\(chart)")
            #expect(Set(Self.titles(chart)) == ["Prescription RX-000001", "Dispensed Amoxicillin × 6", "Sold Product PLAST × 2"])
            let sale = (chart["timeline"] as? [[String: Any]])?.first { $0["kind"] as? String == "sale" }
            #expect((sale?["path"] as? String)?.hasPrefix("/sales/") == true && (sale?["detail"] as? String)?.hasPrefix("sale ") == true)
            #expect(chart["timeline_has_more"] as? Bool == false)
            #expect(
                Self.kinds(try await pharmacist.get("patients/\(patient)/chart").json).contains("sale") == false,
                "clinicians do not read the till"
            )
        }
    }

    /// Every source but dispensing (grouped per handing-out) walks an index in the order the chart reads, so the
    /// query stops after the lines shown instead of sorting a patient's whole history.
    @Test func everySourceIsReadInTimeOrderFromAnIndex() async throws {
        let workspace = try TestWorkspace()
        let catalog = FeatureCatalog.standard
        let schema = TenantSchema.forTenant(features: catalog.modules.map(\.id), catalog: catalog)
        let database = try TenantDatabase.openForTests(TenantID("every")!, in: workspace.data, schema: schema)
        let sources = catalog.modules.flatMap(\.chart.timeline)
        #expect(
            Set(sources.map(\.kind)) == ["appointment", "visit", "prescription", "dispensing", "sale", "treatment", "document", "invoice", "payment"]
        )
        try await database.read { db in
            func plan(_ query: String, orderedBy order: String) throws -> [String] {
                try Row.fetchAll(
                    db,
                    sql: "EXPLAIN QUERY PLAN SELECT * FROM (\(query)) ORDER BY \(order) LIMIT 51",
                    arguments: ["patient": 1, "branches": nil]
                ).map { $0["detail"] }
            }
            for source in sources where source.kind != "dispensing" {
                let steps = try plan(source.query, orderedBy: "1 DESC, 2 DESC")
                #expect(!steps.isEmpty && !steps.contains { $0.contains("TEMP B-TREE") }, "\(source.kind): \(steps)")
            }
            #expect(
                try plan(sources[0].query, orderedBy: "random()").contains { $0.contains("TEMP B-TREE") },
                "the check sees a sort where there is one"
            )
        }
    }

    @Test func aDentalChartShowsTheTreatmentPlan() async throws {
        try await TreatmentsAPITests.practice().run { practice in
            let dentist = try await practice.signIn("clinician@example.com")
            let patient = try await practice.patient(as: dentist)
            _ = try await dentist.create("treatments", ["patient_id": patient, "tooth": 36, "procedure": "crown", "fee": 45_000])
            _ = try await dentist.create("treatments", ["patient_id": patient, "procedure": "whitening", "fee": 20_000])

            let chart = try await dentist.get("patients/\(patient)/chart").json
            let timeline = chart["timeline"] as? [[String: Any]] ?? []
            #expect(
                timeline.map { $0["title"] as? String } == ["whitening", "crown on tooth 36"],
                "newest first, the id breaking the tie of one second"
            )
            #expect(timeline.map { $0["detail"] as? String } == ["planned", "planned"])
            #expect(timeline.first?["path"] as? String == "/treatments?patient=P-000001")
        }
    }

    /// The front desk's timeline is cut after leaving out clinical entries: three clinical scans filed after the
    /// desk's insurance card do not push the card out of a one-line timeline.
    @Test func whatTheDeskMayNotSeeDoesNotCrowdOutWhatItMay() async throws {
        let workspace = try TestWorkspace()
        let server = try await ClinicalRecordAPITests.server(workspace, features: ["patients", "appointments", "visits"])
        try await server.application.test(.router) { client in
            let doc = try await APIClient.signIn(client, tenant: "clinic", email: "doc@example.com")
            let desk = try await APIClient.signIn(client, tenant: "clinic", email: "desk@example.com")
            let patient = try #require(try await desk.create("patients", TestRecords.ada)["id"] as? Int)
            #expect(
                try await desk.upload("patients/\(patient)/documents", DocumentsAPITests.pngAsPDF(title: "Insurance card", clinical: "false")).status
                    == .created
            )
            for title in ["X-ray", "Lab results", "Referral letter"] {
                #expect(try await doc.upload("patients/\(patient)/documents", DocumentsAPITests.pngAsPDF(title: title)).status == .created)
            }

            let front = try await desk.get("patients/\(patient)/chart?limit=1").json
            #expect(Self.titles(front) == ["Document “Insurance card”"])
            #expect(front["timeline_has_more"] as? Bool == false)
            let clinician = try await doc.get("patients/\(patient)/chart?limit=3").json
            #expect(Self.titles(clinician) == ["Document “Referral letter”", "Document “Lab results”", "Document “X-ray”"])
            #expect(clinician["timeline_has_more"] as? Bool == true)
        }
    }
}
