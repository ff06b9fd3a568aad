import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ClinicBox
@testable import ClinicBoxCore
@testable import Patients

/// The patients module through the real HTTP stack and real tenant databases.
@Suite struct PatientsAPITests {

    @Test func aCreatedPatientGetsANumberAnAuditRowAndCanBeFound() async throws {
        let clinic = try await ClinicScenario(tenant: "alpha", features: ["patients"])
        let server = clinic.server
        try await clinic.run { session in
            let desk = try await session.signIn(as: .staff)
            let created = try await desk.create("patients", TestRecords.ada)
            #expect(created["number"] as? String == "P-000001")
            #expect(created["version"] as? Int == 1)
            #expect(created["active"] as? Bool == true)
            _ = try await desk.create("patients", ["first_name": "Charles", "last_name": "Babbage", "phone": "+44 (20) 7946-0999"])

            let id = try #require(created["id"] as? Int)
            let shown = try await desk.get("patients/\(id)")
            #expect(shown.status == .ok && shown.json["last_name"] as? String == "Lovelace")
            for (query, expected) in [("love", ["Lovelace"]), ("P-000002", ["Babbage"]), ("7946 0018", ["Lovelace"]), ("zzz", [])] {
                let found = try await desk.get("patients?q=\(query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
                #expect(found.items.compactMap { $0["last_name"] as? String } == expected, "q=\(query)")
            }
        }
        let database = try await server.databases.database(for: TenantID("alpha")!, creating: true)
        let audit = try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT user_email, changes FROM audit_log WHERE action = 'patients.create' ORDER BY id LIMIT 1")
                .map { [$0["user_email"] as String, $0["changes"] as String] }
        }
        #expect(audit?[0] == "staff@example.com")
        #expect(audit?[1].contains("\"date_of_birth\":{\"after\":\"1985-12-10\"}") == true)
    }

    @Test func badFieldsAreAllNamedAndNothingIsStored() async throws {
        let clinic = try await ClinicScenario(tenant: "alpha", features: ["patients"])
        try await clinic.run { session in
            let desk = try await session.signIn(as: .staff)
            let bad = try await desk.post("patients", ["first_name": "Ada", "date_of_birth": "2999-01-01", "sex": "f", "email": "nope", "active": 1])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.headers[.contentType] == "application/problem+json")
            #expect(
                bad.fieldErrors == [
                    "last_name": "is required", "date_of_birth": "must be a date in the past", "sex": "must be one of female, male, other, unknown",
                    "email": "must be an email address like name@example.com", "active": "must be true or false, not a number",
                ]
            )
            let unknown = try await desk.post("patients", ["first_name": "Ada", "last_name": "L", "birth_date": "1985-12-10"])
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.fieldErrors["birth_date"]?.hasPrefix("unknown field") == true)
            let invalidDate = try await desk.post("patients", ["first_name": "Ada", "last_name": "L", "date_of_birth": "1985-02-30"])
            #expect(invalidDate.fieldErrors["date_of_birth"] == "must be a date written YYYY-MM-DD")
            #expect(try await desk.get("patients").items.isEmpty)
        }
    }

    @Test func listsPageWithACursorInTheChosenOrder() async throws {
        let clinic = try await ClinicScenario(tenant: "alpha", features: ["patients"])
        try await clinic.run { session in
            let desk = try await session.signIn(as: .staff)
            let names = ["Young", "Adams", "Brown", "Zeller", "Miller"]
            for name in names { _ = try await desk.create("patients", ["first_name": "Sam", "last_name": name]) }
            for (sort, expected) in [("name", names.sorted()), ("-name", names.sorted().reversed()), ("number", names)] {
                var seen: [String] = []
                var cursor: String?
                repeat {
                    let page = try await desk.get("patients?limit=2&sort=\(sort)" + (cursor.map { "&cursor=\($0)" } ?? ""))
                    #expect(page.status == .ok)
                    #expect(page.items.count <= 2)
                    seen += page.items.compactMap { $0["last_name"] as? String }
                    cursor = page.json["next_cursor"] as? String
                } while cursor != nil && seen.count < 10
                #expect(seen == Array(expected), "sort=\(sort)")
            }
            let tooMany = try await desk.get("patients?limit=500")
            #expect(tooMany.status == .badRequest && tooMany.fieldErrors["limit"] == "must be a whole number from 1 to 200")
            let badSort = try await desk.get("patients?sort=notes")
            #expect(badSort.fieldErrors["sort"]?.hasPrefix("must be one of name") == true)
            let page = try await desk.get("patients?limit=2&sort=name")
            let cursor = try #require(page.json["next_cursor"] as? String)
            #expect(try await desk.get("patients?sort=number&cursor=\(cursor)").fieldErrors["cursor"] != nil)
            // The cursor names no patient: it travels in URLs, browser history and proxy logs.
            let decoded = String(
                decoding: Data(
                    base64Encoded: cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
                        .padding(toLength: (cursor.count + 3) / 4 * 4, withPad: "=", startingAt: 0)
                ) ?? Data(),
                as: UTF8.self
            )
            #expect(decoded.contains(#""sort":"name""#) && !decoded.lowercased().contains("brown") && !decoded.lowercased().contains("sam"))
            #expect(decoded.hasPrefix(#"{"id":"#), "keys sorted, so the same page always has the same cursor")
            // Still stable when a row is inserted before the cursor's position.
            _ = try await desk.create("patients", ["first_name": "Sam", "last_name": "Aaron"])
            let next = try await desk.get("patients?limit=2&sort=name&cursor=\(cursor)")
            #expect(next.items.compactMap { $0["last_name"] as? String } == ["Miller", "Young"])
        }
    }

    @Test func someoneWhoMayAlreadyBeRegisteredNeedsConfirmationWhichIsAudited() async throws {
        let clinic = try await ClinicScenario(tenant: "alpha", features: ["patients"])
        let server = clinic.server
        try await clinic.run { session in
            let desk = try await session.signIn(as: .staff)
            _ = try await desk.create(
                "patients",
                ["first_name": "Oliver", "last_name": "Bennett", "date_of_birth": "1980-03-03", "phone": "+44 20 7946 0100"]
            )
            _ = try await desk.create(
                "patients",
                ["first_name": "Mary", "last_name": "Bennett", "date_of_birth": "1952-01-20", "phone": "+44 20 7946 0999"]
            )
            // Accents, letter case, a letter or two, swapped names, the same phone: each is a candidate.
            for (typed, expected) in [
                (
                    ["first_name": "Olivier", "last_name": "Bennet", "date_of_birth": "1980-03-03"],
                    "P-000001 Oliver Bennett (same date of birth, similar name)"
                ),
                (
                    ["first_name": "BENNETT", "last_name": "Olivér", "date_of_birth": "1980-03-03"],
                    "P-000001 Oliver Bennett (same date of birth, similar name)"
                ),
                (
                    ["first_name": "Ollie", "last_name": "Smith", "date_of_birth": "1952-01-20", "phone": "+44 (20) 7946-0999"],
                    "P-000002 Mary Bennett (same date of birth and phone)"
                ),
            ] {
                let duplicate = try await desk.post("patients", typed)
                #expect(
                    duplicate.status == .conflict && (duplicate.json["detail"] as? String)?.contains(expected) == true,
                    "\(typed): \(duplicate.text)"
                )
                #expect(duplicate.fieldErrors.keys.sorted() == ["confirm_new"])
            }
            // Not similar enough, another birthday, or only a shared (family) phone: no question asked.
            _ = try await desk.create("patients", ["first_name": "Olga", "last_name": "Bennington", "date_of_birth": "1980-03-03"])
            _ = try await desk.create(
                "patients",
                ["first_name": "Tom", "last_name": "Bennett", "date_of_birth": "2015-07-07", "phone": "+44 20 7946 0100"]
            )
            _ = try await desk.create("patients", ["first_name": "Oliver", "last_name": "Bennett", "date_of_birth": "1981-03-03"])

            let unsure = try await desk.post(
                "patients",
                ["first_name": "Olivier", "last_name": "Bennet", "date_of_birth": "1980-03-03", "confirm_new": NSNull()]
            )
            #expect(unsure.fieldErrors == ["confirm_new": "is required"], "sent, it is true or false")
            let confirmed = String(
                try await desk.create(
                    "patients",
                    ["first_name": "Olivier", "last_name": "Bennet", "date_of_birth": "1980-03-03", "confirm_new": true]
                )["id"] as? Int ?? 0
            )
            let database = try await server.databases.database(for: TenantID("alpha")!)
            let audit = try await database.read { db in
                try String.fetchOne(
                    db,
                    sql: "SELECT changes FROM audit_log WHERE action = 'patients.registered_despite_duplicates' AND entity_id = ?",
                    arguments: [confirmed]
                )
            }
            #expect(audit?.contains("P-000001 (same date of birth, similar name)") == true, "\(audit ?? "no audit row")")
        }
    }

    @Test func anUpdateNeedsTheCurrentVersionAndIsAudited() async throws {
        let clinic = try await ClinicScenario(tenant: "alpha", features: ["patients"])
        let server = clinic.server
        try await clinic.run { session in
            let desk = try await session.signIn(as: .staff)
            let id = try #require(try await desk.create("patients", TestRecords.ada)["id"] as? Int)
            let updated = try await desk.patch("patients/\(id)", ["version": 1, "phone": "+44 20 0000 1111", "notes": "prefers mornings"])
            #expect(updated.status == .ok)
            #expect(updated.json["version"] as? Int == 2)
            #expect(updated.json["first_name"] as? String == "Ada")
            // A second session.client still holding version 1 must not overwrite the note.
            let stale = try await desk.patch("patients/\(id)", ["version": 1, "notes": ""])
            #expect(stale.status == .conflict)
            #expect(stale.fieldErrors["version"] == "is stale; the current version is 2")
            #expect(try await desk.get("patients/\(id)").json["notes"] as? String == "prefers mornings")
            #expect(try await desk.patch("patients/\(id)", ["phone": "1"]).fieldErrors["version"] == "is required")
            #expect(try await desk.patch("patients/999", ["version": 1]).status == .notFound)
        }
        let database = try await server.databases.database(for: TenantID("alpha")!, creating: true)
        let changes = try await database.read { db in try String.fetchOne(db, sql: "SELECT changes FROM audit_log WHERE action = 'patients.update'") }
        #expect(changes?.contains("\"phone\":{\"after\":\"+44 20 0000 1111\",\"before\":\"+44 20 7946 0018\"}") == true)
        #expect(changes?.contains("first_name") == false)
    }

    /// Patients stored before `patients.v2` (which keeps each patient's API JSON ready) read the same after it.
    @Test func patientsWrittenBeforeTheStoredJSONStepAreListedAfterIt() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha")
        let full = TenantSchema.forTenant(features: ["patients"], catalog: .standard)
        let before = TenantSchema(steps: full.steps.filter { $0.id != "patients.v2" })
        let old = try TenantDatabase.openForTests(TenantID("alpha")!, in: workspace.data, schema: before)
        try await old.write { db in
            try db.execute(
                sql: """
                    INSERT INTO patients (number, first_name, last_name, date_of_birth, active, sort_name, version, created_at, updated_at)
                    VALUES ('P-000001', 'Grace', 'Hopper', '1906-12-09', 1, 'hopper grace', 3, '2026-01-02T03:04:05Z', '2026-01-02T03:04:05Z')
                    """
            )
        }
        try await old.checkpointAndClose()

        let server = try await workspace.server()
        try await server.addUser("desk@example.com", role: .staff, password: TestUsers.password, to: ["alpha"])
        try await server.application.test(.router) { client in
            let desk = try await APIClient.signIn(client, tenant: "alpha", email: "desk@example.com")
            let listed = try await desk.get("patients").items
            #expect(listed.count == 1)
            #expect(listed.first?["last_name"] as? String == "Hopper")
            #expect(listed.first?["date_of_birth"] as? String == "1906-12-09")
            #expect(listed.first?["version"] as? Int == 3)
            #expect(listed.first?["active"] as? Bool == true)
        }
    }

    @Test func aRetriedCreateWithTheSameIdempotencyKeyCreatesOnce() async throws {
        let clinic = try await ClinicScenario(tenant: "alpha", features: ["patients"])
        try await clinic.run { session in
            let desk = try await session.signIn(as: .staff)
            let first = try await desk.post("patients", TestRecords.ada, headers: ["Idempotency-Key": "k-1"])
            let retry = try await desk.post("patients", TestRecords.ada, headers: ["Idempotency-Key": "k-1"])
            #expect(first.status == .created && retry.status == .created)
            #expect(retry.text == first.text)
            #expect(retry.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            var other = TestRecords.ada
            other["first_name"] = "Augusta"
            let reused = try await desk.post("patients", other, headers: ["Idempotency-Key": "k-1"])
            #expect(reused.status == .unprocessableContent)
            #expect(try await desk.get("patients").items.count == 1)
        }
    }

    @Test func anotherTenantsPatientIsNotFoundLikeOneThatNeverExisted() async throws {
        let scenario = try await ClinicScenario(tenant: "alpha") { try await TestUsers.server($0) }
        try await scenario.run { session in
            let alpha = try await session.signIn("boss@example.com")
            let beta = try await APIClient.signIn(session.client, tenant: "beta", email: "boss@example.com")
            let id = try #require(try await alpha.create("patients", TestRecords.ada)["id"] as? Int)
            let elsewhere = try await beta.get("patients/\(id)")
            let nowhere = try await beta.get("patients/424242")
            #expect(elsewhere.status == .notFound && nowhere.status == .notFound)
            #expect(elsewhere.json["title"] as? String == nowhere.json["title"] as? String)
            #expect(elsewhere.json["detail"] as? String == nowhere.json["detail"] as? String)
            #expect(try await beta.get("patients").items.isEmpty)
            // alpha's token is no token at beta.
            let replay = try await session.client.execute(uri: "/t/beta/api/v1/patients/\(id)", method: .get, headers: TestUsers.bearer(alpha.token))
            #expect(replay.status == .unauthorized)
        }
    }
}
