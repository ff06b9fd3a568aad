import ClinicBox
import ClinicBoxCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The patients pages as a receptionist uses them, through the real HTTP stack and a real tenant database.
@Suite struct PatientPagesTests {
    static let password = TestUsers.password

    static func server(_ workspace: TestWorkspace) async throws -> ClinicBoxServer {
        try workspace.writeTenant("alpha", name: "Alpha Clinic")
        let server = try await workspace.server()
        try await server.addUser("desk@example.com", role: .staff, password: password, to: ["alpha"])
        return server
    }

    @Test func aReceptionistRegistersFindsAndEditsAPatient() async throws {
        let scenario = try await ClinicScenario(tenant: "") { try await Self.server($0) }
        try await scenario.run { session in
            var browser = WebBrowser(session.client)
            let signIn = try await browser.signIn(tenant: "alpha", email: "desk@example.com", password: Self.password)
            #expect(signIn.status == .seeOther)

            let form = try await browser.get("/t/alpha/patients/new")
            #expect(form.status == .ok)
            #expect(form.text.contains(#"<label for="first_name">First name"#))

            // Mistakes: every message beside its field, and everything typed is still there.
            let bad = try await browser.post(
                "/t/alpha/patients",
                ["first_name": "Ada", "last_name": "", "date_of_birth": "2999-01-01", "phone": "call me", "notes": "prefers mornings"]
            )
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains(#"<p class="field-error" id="last_name-error">is required</p>"#))
            #expect(bad.text.contains(#"<p class="field-error" id="date_of_birth-error">must be a date in the past</p>"#))
            #expect(bad.text.contains(#"id="phone-error""#))
            #expect(bad.text.contains(#"value="Ada""#) && bad.text.contains(#"value="call me""#) && bad.text.contains(">prefers mornings</textarea>"))

            let created = try await browser.post(
                "/t/alpha/patients",
                ["first_name": "Ada", "last_name": "Lovelace", "date_of_birth": "1985-12-10", "phone": "+44 20 7946 0018", "active": "true"]
            )
            #expect(created.status == .seeOther)
            let location = try #require(created.headers[.location])
            #expect(location.hasPrefix("/t/alpha/patients/") && location.hasSuffix("?saved=1"))
            let shown = try await browser.get(location)
            #expect(shown.text.contains("Ada Lovelace") && shown.text.contains("P-000001") && shown.text.contains("Saved."))

            for query in ["love", "P-000001", "7946 0018"] {
                let found = try await browser.get("/t/alpha/patients?q=\(query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
                #expect(found.text.contains(">Lovelace, Ada</a>"), "q=\(query)")
            }
            #expect(try await browser.get("/t/alpha/patients?q=zzz").text.contains("No patient matches “zzz”."))

            // The same person again is caught, and can be confirmed as a different person.
            let twin = ["first_name": "Ada", "last_name": "Lovelace", "date_of_birth": "1985-12-10"]
            let duplicate = try await browser.post("/t/alpha/patients", twin)
            #expect(duplicate.status == .conflict)
            #expect(duplicate.text.contains("This patient may already be registered") && duplicate.text.contains(#"name="confirm_new""#))
            #expect(duplicate.text.contains(">Ada Lovelace</a>") && duplicate.text.contains("same date of birth, similar name"))
            #expect(duplicate.text.contains(#"value="Lovelace""#), "what was typed is kept")
            var confirmed = twin
            confirmed["confirm_new"] = "true"
            #expect(try await browser.post("/t/alpha/patients", confirmed).status == .seeOther)

            // Editing: a stale version (someone else saved first) is refused and nothing is overwritten.
            let path = String(location.prefix { $0 != "?" })
            let edit = try await browser.get(path + "/edit")
            #expect(edit.text.contains(#"name="version" value="1""#))
            let saved = try await browser.post(
                path,
                ["version": "1", "first_name": "Ada", "last_name": "King", "date_of_birth": "1985-12-10", "active": "true"]
            )
            #expect(saved.status == .seeOther)
            let stale = try await browser.post(path, ["version": "1", "first_name": "Ada", "last_name": "Byron", "active": "true"])
            #expect(stale.status == .conflict)
            #expect(stale.text.contains("was changed since you read it") && stale.text.contains(#"value="Byron""#))
            #expect(try await browser.get(path).text.contains("Ada King"))
            // The list shows the change too (its rows are reused only until a patient's version changes).
            let listed = try await browser.get("/t/alpha/patients?q=ada")
            #expect(listed.text.contains(">King, Ada</a>") && !listed.text.contains(">Lovelace, Ada</a></td><td>1985-12-10</td><td>+44"))
        }
    }

    @Test func whatUsersTypeIsEscapedEverywhere() async throws {
        let scenario = try await ClinicScenario(tenant: "") { try await Self.server($0) }
        try await scenario.run { session in
            var browser = WebBrowser(session.client)
            try await browser.signIn(tenant: "alpha", email: "desk@example.com", password: Self.password)
            try await browser.get("/t/alpha/patients/new")
            let attack = #"<script>alert(1)</script>"#
            let created = try await browser.post(
                "/t/alpha/patients",
                ["first_name": attack, "last_name": #"O"Neil' & co"#, "notes": "<img src=x onerror=alert(2)>"]
            )
            let location = try #require(created.headers[.location])
            for page in [try await browser.get(location), try await browser.get("/t/alpha/patients"), try await browser.get("/t/alpha/")] {
                #expect(!page.text.contains("<script>alert") && !page.text.contains("<img src=x"))
            }
            let shown = try await browser.get(location)
            #expect(shown.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(shown.text.contains("O&quot;Neil&#39; &amp; co"))
        }
    }

    @Test func formsNeedTheSessionsTokenAndTheSameOrigin() async throws {
        let scenario = try await ClinicScenario(tenant: "") { try await Self.server($0) }
        try await scenario.run { session in
            var browser = WebBrowser(session.client)
            try await browser.signIn(tenant: "alpha", email: "desk@example.com", password: Self.password)
            try await browser.get("/t/alpha/patients/new")
            let patient = ["first_name": "Mary", "last_name": "Seacole"]
            #expect(try await browser.post("/t/alpha/patients", patient, token: "forged").status == .forbidden)
            let crossSite = try await browser.post("/t/alpha/patients", patient, headers: [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"])
            #expect(crossSite.status == .forbidden)
            #expect(crossSite.headers[.contentType] == "text/html; charset=utf-8")
            #expect(try await browser.get("/t/alpha/patients").text.contains("No patients yet."))
        }
    }
}
