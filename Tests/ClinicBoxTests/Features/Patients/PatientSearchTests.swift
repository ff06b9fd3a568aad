import Foundation
import GRDB
import HummingbirdTesting
import Testing

@testable import ClinicBox
@testable import ClinicBoxCore

/// Finding patients the way a receptionist types them: whole names in either order, the start of each word, a
/// phone number written locally or internationally, through the API and the list page.
@Suite struct PatientSearchTests {
    /// A Berlin clinic whose own number is German (so local numbers are German) with five patients.
    static func clinic(_ workspace: TestWorkspace, extra: String = "contact:\n  phone: \"+49 30 555 0100\"") async throws -> ClinicBoxServer {
        try workspace.write("berlin", TestTenant.yaml("berlin", extra: extra))
        let server = try await workspace.server()
        try await server.addUser("desk@example.com", role: .staff, password: TestUsers.password, to: ["berlin"])
        return server
    }

    static var patients: [[String: Any]] {
        [
            ["first_name": "Hans", "last_name": "Müller", "phone": "+49 151 2345 6789"],
            ["first_name": "Hannah", "last_name": "Schmidt", "phone": "030 555 0123"],
            ["first_name": "Lena", "last_name": "Müller-Lüdenscheidt"],
            ["first_name": "Seán", "last_name": "O'Brien", "phone": "+44 20 7946 0018"],
            ["first_name": "Ada", "last_name": "Lovelace"],
        ]
    }

    static func names(_ api: APIClient, _ rawQuery: String) async throws -> [String] {
        let answer = try await api.get("patients?q=\(rawQuery)")
        #expect(answer.status == .ok, "q=\(rawQuery): \(answer.text)")
        return answer.items.compactMap { item in (item["first_name"] as? String).map { "\($0) \(item["last_name"] as? String ?? "")" } }
    }

    /// Registers `patients` at the Berlin clinic and expects each query (as it appears in the URL) to find exactly
    /// the patients named, in any order.
    static func expectSearches(_ cases: [(String, [String])], sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        let scenario = try await ClinicScenario(tenant: "berlin") { try await clinic($0) }
        try await scenario.run { session in
            let desk = try await session.signIn("desk@example.com")
            for patient in patients { _ = try await desk.create("patients", patient) }
            for (query, expected) in cases {
                #expect(try await names(desk, query).sorted() == expected.sorted(), "q=\(query)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func namesAreFoundInAnyOrderByTheStartOfEachWord() async throws {
        try await Self.expectSearches([
            ("Hans%20M%C3%BCller", ["Hans Müller"]),
            ("M%C3%BCller%20Hans", ["Hans Müller"]),
            ("Hans+M%C3%BCller", ["Hans Müller"]),  // a page's GET form sends + for a space
            ("hans+muller", ["Hans Müller"]),  // any case, no accents
            ("m%C3%BCl", ["Hans Müller", "Lena Müller-Lüdenscheidt"]),
            ("han", ["Hannah Schmidt", "Hans Müller"]),
            ("l%C3%BCdenscheidt+lena", ["Lena Müller-Lüdenscheidt"]),
            ("obrien", ["Seán O'Brien"]),
            ("sean", ["Seán O'Brien"]),
            ("ans", []),  // the middle of a word is not the start of one
            ("Hans+Schmidt", []),  // every word must match
            ("p-000005", ["Ada Lovelace"]),
        ])
    }

    @Test func localAndInternationalNumbersFindTheSamePatient() async throws {
        try await Self.expectSearches([
            ("0151%202345%206789", ["Hans Müller"]),  // stored internationally, typed locally
            ("%2B49%20151%2023456789", ["Hans Müller"]),
            ("0049%20151%202345%206789", ["Hans Müller"]),
            ("%2B49%20(0)151%202345%206789", ["Hans Müller"]),
            ("%2B49%2030%20555%200123", ["Hannah Schmidt"]),  // stored locally, typed internationally
            ("2345%206789", ["Hans Müller"]),  // part of a number, by its digits
            ("020%207946%200018", []),  // a London number typed as a Berlin one is another number
            ("%2B44%2020%207946%200018", ["Seán O'Brien"]),
        ])
    }

    @Test func theCountryKeyDecidesHowLocalNumbersAreRead() async throws {
        let workspace = try TestWorkspace()
        let server = try await Self.clinic(workspace, extra: "country: KE")
        try await server.application.test(.router) { client in
            let desk = try await APIClient.signIn(client, tenant: "berlin", email: "desk@example.com")
            _ = try await desk.create("patients", ["first_name": "Wanjiru", "last_name": "Kamau", "phone": "0712 345678"])
            #expect(try await Self.names(desk, "%2B254%20712%20345%20678") == ["Wanjiru Kamau"])
            #expect(try await Self.names(desk, "0712345678") == ["Wanjiru Kamau"])
        }
    }

    /// A new surname is found and the old one no longer is; the words table holds exactly the current words.
    @Test func aRenamedPatientIsFoundByTheNewNameOnly() async throws {
        let scenario = try await ClinicScenario(tenant: "berlin") { try await Self.clinic($0) }
        let server = scenario.server
        try await scenario.run { session in
            let desk = try await session.signIn("desk@example.com")
            let id = try #require(try await desk.create("patients", ["first_name": "Hannah", "last_name": "Schmidt-Ott"])["id"] as? Int)
            #expect(try await desk.patch("patients/\(id)", ["version": 1, "last_name": "Weber-Ott"]).status == .ok)
            #expect(try await Self.names(desk, "weber") == ["Hannah Weber-Ott"])
            #expect(try await Self.names(desk, "schmidt").isEmpty)
            #expect(try await Self.names(desk, "ott+hannah") == ["Hannah Weber-Ott"])
            let database = try await server.databases.database(for: TenantID("berlin")!, creating: false)
            let words = try await database.read { db in
                try String.fetchAll(db, sql: "SELECT word FROM patient_name_words WHERE patient_id = ? ORDER BY word", arguments: [id])
            }
            #expect(words == ["hannah", "ott", "weber"])
        }
    }

    /// The list page's search box: `+` is a space, and the box shows what was typed.
    @Test func thePageFindsAFullNameAndShowsItAsTyped() async throws {
        let scenario = try await ClinicScenario(tenant: "berlin") { try await Self.clinic($0) }
        try await scenario.run { session in
            let desk = try await session.signIn("desk@example.com")
            for patient in Self.patients { _ = try await desk.create("patients", patient) }
            var browser = WebBrowser(session.client)
            try await browser.signIn(tenant: "berlin", email: "desk@example.com", password: TestUsers.password)
            let page = try await browser.get("/t/berlin/patients?q=Hans+M%C3%BCller")
            #expect(page.status == .ok)
            #expect(page.text.contains("Müller, Hans"))
            #expect(!page.text.contains("Schmidt"))
            #expect(page.text.contains(#"value="Hans Müller""#), "the box keeps the words, not Hans+Müller")
            #expect(!page.text.contains("Hans+M"))
        }
    }

    /// Patients registered before `patients.v3` are found by name words and by a local number after it (and
    /// before `patients.v2`, which fills the stored JSON a list answers with).
    @Test func patientsStoredBeforeTheSearchStepAreFoundAfterIt() async throws {
        let workspace = try TestWorkspace()
        try workspace.write("berlin", TestTenant.yaml("berlin", extra: "contact:\n  phone: \"+49 30 555 0100\""))
        let full = TenantSchema.forTenant(features: ["patients"], catalog: .standard)
        let before = TenantSchema(steps: full.steps.filter { !["patients.v2", "patients.v3", "patients.v4"].contains($0.id) })
        let old = try TenantDatabase.openForTests(TenantID("berlin")!, in: workspace.data, schema: before)
        try await old.write { db in
            try db.execute(
                sql: """
                    INSERT INTO patients (number, first_name, last_name, phone, phone_digits, active, sort_name, version, created_at, updated_at)
                    VALUES ('P-000001', 'Hans', 'Müller', '0151 2345 6789', '015123456789', 1, 'muller hans', 1, '2026-01-02T03:04:05Z', '2026-01-02T03:04:05Z')
                    """
            )
        }
        try await old.checkpointAndClose()
        let server = try await workspace.server()
        try await server.addUser("desk@example.com", role: .staff, password: TestUsers.password, to: ["berlin"])
        try await server.application.test(.router) { client in
            let desk = try await APIClient.signIn(client, tenant: "berlin", email: "desk@example.com")
            #expect(try await Self.names(desk, "hans+m%C3%BCller") == ["Hans Müller"])
            #expect(try await Self.names(desk, "%2B49%20151%2023456789") == ["Hans Müller"])
        }
    }

    @Test func numbersAreWrittenInFullByEachCountrysRules() {
        let cases: [(String, String, String?)] = [
            ("DE", "0151 2345 6789", "+4915123456789"), ("DE", "+49 (0)30 555 0123", "+49305550123"), ("GB", "020 7946 0018", "+442079460018"),
            ("KE", "0712 345678", "+254712345678"), ("IN", "098765 43210", "+919876543210"), ("US", "(212) 555-0100", "+12125550100"),
            ("US", "1 212 555 0100", "+12125550100"), ("IT", "06 1234 5678", "+390612345678"), ("RU", "8 495 123-45-67", "+74951234567"),
            ("DE", "12", nil), ("DE", "+999 1234 5678", nil),
        ]
        for (country, typed, expected) in cases {
            #expect(PhoneNumbering(country: country, contactPhone: nil).e164(typed) == expected, "\(country) \(typed)")
        }
        #expect(PhoneNumbering(country: nil, contactPhone: "+254 20 555 0101").callingCode == "254")
        #expect(PhoneNumbering(country: nil, contactPhone: "020 555 0101").e164("020 7946 0018") == nil, "no country, no local numbers")
        #expect(PhoneNumbering(country: nil, contactPhone: nil).e164("+44 20 7946 0018") == "+442079460018")
    }
}
