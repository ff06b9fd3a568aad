import Foundation
import GRDB
import HummingbirdTesting
import Testing

@testable import ClinicBox
@testable import ClinicBoxCore
@testable import Patients

/// One person registered twice becomes one record again: every record moves, allergies are combined, the duplicate
/// stays as a pointer, append-only records move by exactly that one change.
@Suite struct PatientMergeTests {
    /// Oliver Bennett (P-000001) with a penicillin allergy, and Olivier Bennet (P-000002), registered anyway, with a
    /// latex allergy, a problem, a booked appointment, a signed visit with a document filed to it, and a prescription.
    static func twice(_ client: some TestClientProtocol, _ server: ClinicBoxServer) async throws -> (doc: APIClient, kept: Int, duplicate: Int) {
        let doc = try await APIClient.signIn(client, tenant: "clinic", email: "doc@example.com")
        let kept = try #require(
            try await doc.create("patients", ["first_name": "Oliver", "last_name": "Bennett", "date_of_birth": "1980-03-03"])["id"] as? Int
        )
        _ = try await doc.create("patients/\(kept)/allergies", ["substance": "Penicillin", "reaction": "rash", "severity": "severe"])
        let duplicate = try #require(
            try await doc.create("patients", ["first_name": "Olivier", "last_name": "Bennet", "date_of_birth": "1980-03-03", "confirm_new": true])[
                "id"
            ] as? Int
        )
        _ = try await doc.create("patients/\(duplicate)/allergies", ["substance": "Latex", "severity": "moderate"])
        _ = try await doc.create("patients/\(duplicate)/problems", ["description": "Asthma", "icd10_code": "J45.9"])
        let docID = try await VisitsAPITests.userID(server, "doc@example.com")
        _ = try await doc.create(
            "appointments",
            ["patient_id": duplicate, "practitioner_id": docID, "branch": "main", "start": "2030-01-07T09:00", "duration_minutes": 20]
        )
        let visit = try #require(
            try await doc.create("visits", ["patient_id": duplicate, "branch": "main", "pulse": 70, "diagnoses": [["description": "Asthma"]]])["id"]
                as? Int
        )
        #expect(try await doc.post("visits/\(visit)/sign", [:]).status == .ok)
        _ = try await doc.upload("patients/\(duplicate)/documents", DocumentsAPITests.pngAsPDF(title: "Spirometry").adding("visit_id", String(visit)))
        _ = try await doc.create(
            "prescriptions",
            ["patient_id": duplicate, "items": [["medicine": "Salbutamol inhaler", "dose": "2 puffs as needed", "quantity": 1]]]
        )
        return (doc, kept, duplicate)
    }

    static func server(_ workspace: TestWorkspace) async throws -> ClinicBoxServer {
        try await VisitsAPITests.server(workspace)
    }

    @Test func everyRecordMovesInOneTransactionAndTheDuplicateStaysAsAPointer() async throws {
        let scenario = try await ClinicScenario(tenant: "clinic") { try await Self.server($0) }
        let server = scenario.server
        try await scenario.run { session in
            let (doc, kept, duplicate) = try await Self.twice(session.client, server)
            let database = try await server.databases.database(for: TenantID("clinic")!)
            let tables = try await database.read { db in try PatientMerge.recordTables(db) }
            #expect(
                Set(tables).isSuperset(of: ["appointments", "patient_allergies", "patient_documents", "patient_problems", "prescriptions", "visits"])
            )
            let before = try await database.read { db in try PatientMerge.preview(db, duplicate: Int64(duplicate)) }
            #expect(
                before == ["appointments": 1, "patient_allergies": 1, "patient_documents": 1, "patient_problems": 1, "prescriptions": 1, "visits": 1]
            )

            let desk = try await session.signIn("desk@example.com")
            #expect(try await desk.post("patients/\(kept)/merge", ["duplicate_id": duplicate, "reason": "same person"]).status == .forbidden)
            #expect(
                try await doc.post("patients/\(kept)/merge", ["duplicate_id": kept, "reason": "x"]).fieldErrors == [
                    "duplicate_id": "is this patient; name the other record"
                ]
            )
            #expect(try await doc.post("patients/\(kept)/merge", ["duplicate_id": duplicate]).fieldErrors == ["reason": "is required"])
            let merged = try await doc.post(
                "patients/\(kept)/merge",
                ["duplicate_id": duplicate, "reason": "Registered twice: same date of birth and phone, confirmed with the patient"]
            )
            #expect(merged.status == .ok && merged.json["number"] as? String == "P-000001", "\(merged.text)")

            // Table by table: nothing is left under the duplicate, everything is under the kept record.
            for table in tables {
                let (left, here) = try await database.read { db in
                    (
                        try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table) WHERE patient_id = ?", arguments: [duplicate]) ?? -1,
                        try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table) WHERE patient_id = ?", arguments: [kept]) ?? -1
                    )
                }
                #expect(left == 0, "\(table) still has rows of the duplicate")
                if let moved = before[table] { #expect(here >= moved, "\(table)") }
            }
            let allergies = try await doc.get("patients/\(kept)/allergies").json
            #expect(
                Set(((allergies["items"] as? [[String: Any]]) ?? []).compactMap { $0["substance"] as? String }) == ["Penicillin", "Latex"],
                "\(allergies)"
            )
            let chart = ClinicalProbeTests.titles(try await doc.get("patients/\(kept)/chart").json)
            #expect(chart.contains("Visit V-000001") && chart.contains("Prescription RX-000001") && chart.contains { $0.hasPrefix("Appointment") })

            // The duplicate: a pointer, never deleted, never changed again.
            let old = try await doc.get("patients/\(duplicate)")
            #expect(old.status == .movedPermanently && old.headers[.location] == String(kept))
            let patch = try await doc.patch("patients/\(duplicate)", ["version": 2, "phone": "+49 30 1234567"])
            #expect(patch.status == .conflict && (patch.json["detail"] as? String)?.contains("was merged into P-000001") == true, "\(patch.text)")
            #expect(try await doc.post("patients/\(kept)/merge", ["duplicate_id": duplicate, "reason": "again"]).status == .conflict)
            // Nothing new is filed under the old id: an integrator holding it hears where the record went.
            let moved = "P-000002 was merged into P-000001; file it under P-000001"
            let docID = try await VisitsAPITests.userID(server, "doc@example.com")
            for (path, body) in [
                (
                    "appointments",
                    ["patient_id": duplicate, "practitioner_id": docID, "branch": "main", "start": "2030-02-07T09:00"] as [String: Any]
                ),
                ("visits", ["patient_id": duplicate, "branch": "main"]),
                ("prescriptions", ["patient_id": duplicate, "items": [["medicine": "Salbutamol inhaler", "dose": "2 puffs", "quantity": 1]]]),
            ] {
                let refused = try await doc.post(path, body)
                #expect(refused.status == .unprocessableContent && refused.fieldErrors["patient_id"] == moved, "\(path): \(refused.text)")
            }
            for (path, body) in [
                ("patients/\(duplicate)/allergies", ["substance": "Latex", "severity": "mild"]),
                ("patients/\(duplicate)/problems", ["description": "Asthma"]),
            ] {
                let refused = try await doc.post(path, body)
                #expect(refused.status == .conflict && (refused.json["detail"] as? String) == moved + ".", "\(path): \(refused.text)")
            }
            let tombstone = try await database.read { db in
                try Row.fetchOne(db, sql: "SELECT active, merged_into FROM patients WHERE id = ?", arguments: [duplicate]).map {
                    ($0["active"] as Bool, $0["merged_into"] as Int64?)
                }
            }
            #expect(tombstone?.0 == false && tombstone?.1 == Int64(kept))

            // Append-only records moved by exactly that one change; nothing else about them changes, nor do they move back.
            for sql in [
                "UPDATE visits SET plan = 'rewritten' WHERE patient_id = \(kept)",
                "UPDATE visits SET patient_id = \(duplicate) WHERE patient_id = \(kept)",
                "UPDATE patient_documents SET title = 'x' WHERE patient_id = \(kept)", "UPDATE patient_merges SET reason = 'x'",
                "DELETE FROM patient_merges",
                "UPDATE patients SET active = 1 WHERE id = \(duplicate)",
            ] {
                await #expect(throws: DatabaseError.self, "\(sql)") { try await database.write { db in try db.execute(sql: sql) } }
            }
            let audit = try await database.read { db in
                try String.fetchAll(db, sql: "SELECT action FROM audit_log WHERE action LIKE 'patients.merged%' ORDER BY id")
            }
            #expect(audit == ["patients.merged_into", "patients.merged_from"])
        }
    }

    @Test func onThePagesTheMergeIsConfirmedFirstShownOnTheChartAndTheOldNumberLeadsThere() async throws {
        let scenario = try await ClinicScenario(tenant: "") { try await Self.server($0) }
        let server = scenario.server
        try await scenario.run { session in
            let (_, kept, duplicate) = try await Self.twice(session.client, server)
            var browser = WebBrowser(session.client)
            try await browser.signIn(tenant: "clinic", email: "doc@example.com", password: TestUsers.password)
            try await browser.get("/t/clinic/patients/\(kept)")
            let unknown = try await browser.post("/t/clinic/patients/\(kept)/merge", ["duplicate": "P-404", "reason": "same person"])
            #expect(
                unknown.status == .unprocessableContent && unknown.text.contains("no patient has the number “P-404”")
                    && unknown.text.contains(">same person</textarea>")
            )
            let confirm = try await browser.post("/t/clinic/patients/\(kept)/merge", ["duplicate": "P-000002", "reason": "same person"])
            #expect(confirm.text.contains("Merge Olivier Bennet (P-000002) into Oliver Bennett (P-000001)?"))
            #expect(confirm.text.contains("1 appointment, 1 allergy entry, 1 document, 1 problem, 1 prescription, 1 visit"), "\(confirm.text)")
            let done = try await browser.post(
                "/t/clinic/patients/\(kept)/merge",
                ["duplicate": "P-000002", "reason": "same person", "confirm": "yes"]
            )
            #expect(done.status == .seeOther)
            let chart = try await browser.get("/t/clinic/patients/\(kept)").text
            #expect(chart.contains("<strong>Olivier Bennet</strong> (P-000002), merged by Dr Amina Njoroge"))
            #expect(chart.contains("<strong>Latex</strong>") && chart.contains("<strong>Penicillin</strong>"), "both allergies on the banner")
            let old = try await browser.get("/t/clinic/patients/\(duplicate)")
            #expect(old.status == .seeOther && old.headers[.location] == "/t/clinic/patients/\(kept)?merged=\(duplicate)")
            // Typing the old number on a form finds the kept record.
            try await browser.get("/t/clinic/prescriptions/new")
            let written = try await browser.post(
                "/t/clinic/prescriptions",
                ["patient": "P-000002", "medicine_0": "Salbutamol inhaler", "dose_0": "as needed", "quantity_0": "1"]
            )
            #expect(written.status == .seeOther, "\(written.text)")
            let database = try await server.databases.database(for: TenantID("clinic")!)
            #expect(
                try await database.read { db in try Int.fetchOne(db, sql: "SELECT patient_id FROM prescriptions ORDER BY id DESC LIMIT 1") } == kept
            )
        }
    }
}
