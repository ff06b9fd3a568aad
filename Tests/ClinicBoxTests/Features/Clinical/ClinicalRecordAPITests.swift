import Foundation
import GRDB
import HummingbirdTesting
import Testing

@testable import ClinicBox
@testable import ClinicBoxCore

/// Allergies and problems through the API, who may see and change them, and the free-text allergies of before.
@Suite struct ClinicalRecordAPITests {
    /// A clinic with patients and prescriptions: doc (clinician), desk (staff), boss (manager).
    static func server(
        _ workspace: TestWorkspace,
        features: [String] = ["patients", "prescriptions"],
        extra: String = ""
    ) async throws -> ClinicBoxServer {
        try workspace.write("clinic", TestTenant.yaml("clinic", features: features, extra: "branches:\n  - code: main\n    name: Main\n" + extra))
        let server = try await workspace.server()
        try await server.addUser("doc@example.com", name: "Dr Amina Njoroge", role: .clinician, password: TestUsers.password, to: ["clinic"])
        try await server.addUser("desk@example.com", role: .staff, password: TestUsers.password, to: ["clinic"])
        try await server.addUser("boss@example.com", role: .manager, password: TestUsers.password, to: ["clinic"])
        return server
    }

    @Test func noKnownAllergiesIsARecordedStateThatAnActiveAllergyReplaces() async throws {
        let scenario = try await ClinicScenario(tenant: "clinic") { try await Self.server($0) }
        try await scenario.run { session in
            let doc = try await session.signIn("doc@example.com")
            let desk = try await session.signIn("desk@example.com")
            let patient = try #require(try await desk.create("patients", TestRecords.ada)["id"] as? Int)
            #expect(try await desk.get("patients/\(patient)/allergies").json["state"] as? String == "not_recorded")

            let none = try await doc.send(.put, "patients/\(patient)/allergies/none")
            #expect(none.status == .ok)
            #expect(none.json["state"] as? String == "no_known_allergies")
            #expect(none.json["no_known_allergies_by"] as? String == "Dr Amina Njoroge")

            let allergy = try await doc.create(
                "patients/\(patient)/allergies",
                ["substance": "Penicillin", "reaction": "hives", "severity": "severe"]
            )
            #expect(allergy["status"] as? String == "active" && allergy["recorded_by"] as? String == "Dr Amina Njoroge")
            let listed = try await desk.get("patients/\(patient)/allergies").json
            #expect(listed["state"] as? String == "recorded")
            #expect(listed["no_known_allergies_at"] is NSNull, "an allergy replaces \"no known allergies\"")

            let refused = try await doc.send(.put, "patients/\(patient)/allergies/none")
            #expect(refused.status == .conflict)
            #expect(
                refused.json["detail"] as? String
                    == "This patient has an active allergy to Penicillin. Mark it inactive or entered in error first, if that is what was found."
            )

            let id = try #require(allergy["id"] as? Int)
            #expect(
                try await doc.patch("patients/\(patient)/allergies/\(id)", ["version": 1, "severity": "fatal"]).fieldErrors == [
                    "severity": "must be one of mild, moderate, severe, unknown"
                ]
            )
            let withdrawn = try await doc.patch("patients/\(patient)/allergies/\(id)", ["version": 1, "status": "entered_in_error"])
            #expect(withdrawn.json["status"] as? String == "entered_in_error" && withdrawn.json["version"] as? Int == 2)
            let after = try await desk.get("patients/\(patient)/allergies").json
            #expect(after["state"] as? String == "not_recorded", "a withdrawn entry leaves the allergies to be asked again")
            #expect((after["items"] as? [[String: Any]])?.count == 1, "the entry is kept, marked")

            // Recording allergies is clinical work; the front desk sees them but does not change them.
            #expect(try await desk.post("patients/\(patient)/allergies", ["substance": "Latex"]).status == .forbidden)
            #expect(try await doc.post("patients/\(patient)/allergies", ["severity": "mild"]).fieldErrors == ["substance": "is required"])
            #expect(try await doc.post("patients/999/allergies", ["substance": "Latex"]).status == .notFound)
            let moved = try await desk.patch("patients/\(patient)", ["version": 1, "allergies": "latex"])
            #expect(moved.fieldErrors["allergies"]?.hasPrefix("is no longer part of the patient: record each allergy with POST") == true)
        }
    }

    @Test func problemsAreClinicalContentCodedInICD10AndTheirReadsAreAudited() async throws {
        let scenario = try await ClinicScenario(tenant: "clinic") { try await Self.server($0) }
        let server = scenario.server
        try await scenario.run { session in
            let doc = try await session.signIn("doc@example.com")
            let desk = try await session.signIn("desk@example.com")
            let boss = try await session.signIn("boss@example.com")
            let patient = try #require(try await desk.create("patients", TestRecords.ada)["id"] as? Int)

            let wrong = try await doc.post("patients/\(patient)/problems", ["description": "Asthma", "icd10_code": "45.9", "onset": "2999-01-01"])
            #expect(
                wrong.fieldErrors == [
                    "icd10_code": "must be an ICD-10 code like J45.9: a letter, two digits, then optionally a dot and up to 4 more",
                    "onset": "must not be in the future",
                ]
            )
            let asthma = try await doc.create("patients/\(patient)/problems", ["description": "Asthma", "icd10_code": "j459", "onset": "2019-03-01"])
            #expect(asthma["icd10_code"] as? String == "J45.9" && asthma["status"] as? String == "active")
            let resolved = try await doc.patch("patients/\(patient)/problems/\(asthma["id"] as? Int ?? 0)", ["version": 1, "status": "resolved"])
            #expect(resolved.json["status"] as? String == "resolved")

            #expect(try await desk.get("patients/\(patient)/problems").status == .forbidden)
            #expect(try await boss.get("patients/\(patient)/problems").items.count == 1)
            #expect(try await boss.post("patients/\(patient)/problems", ["description": "Hypertension"]).status == .forbidden)
            _ = try await boss.get("patients/\(patient)/problems")  // a second read within ten minutes is not recorded again
        }
        let database = try await server.databases.database(for: TenantID("clinic")!, creating: true)
        let views = try await database.read { db in
            try String.fetchAll(db, sql: "SELECT user_email FROM audit_log WHERE action = 'patients.chart_viewed' ORDER BY id")
        }
        #expect(views == ["boss@example.com"])
    }

    /// Patients typed in before allergies had entries keep what was written, one entry each, to be reviewed.
    @Test func freeTextAllergiesBecomeOneEntryEachAtTheMigration() async throws {
        let workspace = try TestWorkspace()
        try workspace.write("clinic", TestTenant.yaml("clinic", features: ["patients"]))
        let full = TenantSchema.forTenant(features: ["patients"], catalog: .standard)
        let before = TenantSchema(steps: Array(full.steps.prefix { $0.id != "patients.v5" }))
        let old = try TenantDatabase.openForTests(TenantID("clinic")!, in: workspace.data, schema: before)
        try await old.write { db in
            for (number, last, allergies) in [
                ("P-000001", "Hopper", " Penicillin (rash), latex "), ("P-000002", "Lovelace", "  "), ("P-000003", "Curie", nil),
            ] {
                try db.execute(
                    sql: """
                        INSERT INTO patients (number, first_name, last_name, allergies, active, sort_name, version, created_at, updated_at)
                        VALUES (?, 'Grace', ?, ?, 1, ?, 1, '2026-01-02T03:04:05Z', '2026-01-02T03:04:05Z')
                        """,
                    arguments: [number, last, allergies, last.lowercased()]
                )
            }
        }
        try await old.checkpointAndClose()
        let server = try await workspace.server()
        try await server.addUser("desk@example.com", role: .staff, password: TestUsers.password, to: ["clinic"])
        try await server.application.test(.router) { client in
            let desk = try await APIClient.signIn(client, tenant: "clinic", email: "desk@example.com")
            let hopper = try await desk.get("patients/1/allergies").json
            #expect(hopper["state"] as? String == "recorded")
            let entries = hopper["items"] as? [[String: Any]] ?? []
            #expect(entries.map { $0["substance"] as? String } == ["Penicillin (rash), latex"])
            #expect(entries.first?["severity"] as? String == "unknown")
            #expect(entries.first?["recorded_by"] as? String == "Moved from the old free-text Allergies field")
            #expect(try await desk.get("patients/2/allergies").json["state"] as? String == "not_recorded")
            #expect(try await desk.get("patients/3/allergies").json["state"] as? String == "not_recorded")
            #expect(try await desk.get("patients/1").json["allergies"] == nil, "the API no longer shows the old text")
        }
    }
}
