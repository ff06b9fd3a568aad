import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ClinicBox
@testable import ClinicBoxCore

/// The administration pages as a practice manager uses them: users and the audit log.
@Suite struct AdminPagesTests {
    static let password = TestUsers.password

    static func server(_ workspace: TestWorkspace) async throws -> ClinicBoxServer {
        try workspace.writeTenant("alpha", extra: "branches: [{code: north, name: North}, {code: south, name: South}]")
        let server = try await workspace.server()
        try await server.addUser("boss@example.com", role: .admin, password: password, to: ["alpha"])
        try await server.addUser("desk@example.com", role: .staff, password: password, to: ["alpha"])
        return server
    }

    @Test func anAdminCreatesResetsAndDisablesUsers() async throws {
        let scenario = try await ClinicScenario(tenant: "") { try await Self.server($0) }
        let server = scenario.server
        try await scenario.run { session in
            var admin = WebBrowser(session.client)
            try await admin.signIn(tenant: "alpha", email: "boss@example.com", password: Self.password)
            #expect(try await admin.get("/t/alpha/").cells.contains(#"<a href="/t/alpha/admin">Administration</a>"#))
            let form = try await admin.get("/t/alpha/admin/users/new")
            #expect(form.cells.contains(#"<legend>Branches (none ticked: every branch)</legend>"#))

            let bad = try await admin.post("/t/alpha/admin/users", ["email": "nurse", "display_name": "", "role": "clinician", "password": "short"])
            #expect(bad.status == .unprocessableContent)
            #expect(
                bad.cells.contains(#"id="email-error""#) && bad.cells.contains(#"id="password-error""#)
                    && bad.cells.contains(#"id="display_name-error""#)
            )
            #expect(bad.cells.contains(#"value="nurse""#) && !bad.cells.contains(#"value="short""#))  // a password is never sent back

            let created = try await admin.post(
                "/t/alpha/admin/users",
                [
                    "email": "Nurse@Example.com", "display_name": "Night Nurse", "role": "clinician", "password": "a calm night shift",
                    "branch_north": "true",
                ]
            )
            #expect(created.headers[.location] == "/t/alpha/admin/users?done=created")
            let users = try await admin.get("/t/alpha/admin/users?done=created")
            #expect(
                users.cells.contains("User created.")
                    && users.cells.contains("<td>nurse@example.com</td><td>Night Nurse</td><td>clinician</td><td>North</td>")
            )

            var nurse = WebBrowser(session.client)
            #expect(try await nurse.signIn(tenant: "alpha", email: "nurse@example.com", password: "a calm night shift").status == .seeOther)
            #expect(try await nurse.get("/t/alpha/").status == .ok)

            let accounts = try await server.accounts("alpha")
            let id = try #require(try await accounts.user(email: "nurse@example.com")?.id)
            try await admin.get("/t/alpha/admin/users/\(id)/password")
            #expect(try await admin.post("/t/alpha/admin/users/\(id)/password", ["password": "a brand new night shift"]).status == .seeOther)
            #expect(try await nurse.get("/t/alpha/").status == .seeOther)  // the old session ended

            // Role and branches: saved at once; the only admin cannot be demoted.
            let editPage = try await admin.get("/t/alpha/admin/users/\(id)/edit")
            #expect(
                editPage.cells.contains(#"<option value="clinician" selected>Clinician</option>"#)
                    && editPage.cells.contains(#"name="branch_north" type="checkbox" value="true" checked"#)
            )
            #expect(
                try await admin.post("/t/alpha/admin/users/\(id)/edit", ["display_name": "Night Nurse", "role": "staff", "branch_south": "true"])
                    .headers[.location] == "/t/alpha/admin/users?done=changed"
            )
            #expect(
                try await admin.get("/t/alpha/admin/users").cells.contains(
                    "<td>nurse@example.com</td><td>Night Nurse</td><td>staff</td><td>South</td>"
                )
            )
            let bossID = try #require(try await accounts.user(email: "boss@example.com")?.id)
            try await admin.get("/t/alpha/admin/users/\(bossID)/edit")
            let demote = try await admin.post("/t/alpha/admin/users/\(bossID)/edit", ["display_name": "Boss", "role": "staff"])
            #expect(demote.status == .unprocessableContent && demote.cells.contains("this is the only active admin"))

            let confirm = try await admin.get("/t/alpha/admin/users/\(id)/disable")
            #expect(
                confirm.cells.contains("Disable nurse@example.com?")
                    && confirm.cells.contains(#"<button type="submit" class="danger">Disable user</button>"#)
            )
            #expect(try await admin.post("/t/alpha/admin/users/\(id)/disable", [:]).headers[.location] == "/t/alpha/admin/users?done=disabled")
            var again = WebBrowser(session.client)
            #expect(try await again.signIn(tenant: "alpha", email: "nurse@example.com", password: "a brand new night shift").status == .unauthorized)

            let audit = try await admin.get("/t/alpha/admin/audit?action=user.disabled")
            #expect(
                audit.cells.contains(
                    #"Boss disabled the user <a href="/t/alpha/admin/users/\#(id)/edit">Night Nurse</a></td><td>active: yes → no</td>"#
                )
            )
            #expect(
                !audit.cells.contains("Boss added the user")
                    && audit.cells.contains(#"<option value="user.disabled" selected>Users: disabled the user …</option>"#)
            )
        }
    }

    @Test func staffSeeNoAdministrationAndAreRefusedIt() async throws {
        let scenario = try await ClinicScenario(tenant: "") { try await Self.server($0) }
        try await scenario.run { session in
            var desk = WebBrowser(session.client)
            try await desk.signIn(tenant: "alpha", email: "desk@example.com", password: Self.password)
            #expect(!(try await desk.get("/t/alpha/").cells.contains("Administration")))
            for path in ["/t/alpha/admin", "/t/alpha/admin/users", "/t/alpha/admin/users/new", "/t/alpha/admin/audit"] {
                let page = try await desk.get(path)
                #expect(page.status == .forbidden, "\(path)")
                #expect(page.cells.contains("Only admins can ") && !page.cells.contains(".manage"), "\(path): a refusal in words, no action code")
            }
            try await desk.get("/t/alpha/patients/new")  // a page with a form, for a valid token
            #expect(
                try await desk.post(
                    "/t/alpha/admin/users",
                    ["email": "x@example.com", "display_name": "X", "role": "admin", "password": "a long enough one"]
                ).status == .forbidden
            )
        }
    }
}

extension AdminPagesTests {
    @Test func settingsShowTheFileAndARejectedEditWithItsLine() async throws {
        let workspace = try TestWorkspace()
        let server = try await Self.server(workspace)
        try await server.application.test(.router) { client in
            var admin = WebBrowser(client)
            try await admin.signIn(tenant: "alpha", email: "boss@example.com", password: Self.password)
            let fine = try await admin.get("/t/alpha/admin/settings")
            #expect(fine.cells.contains("tenants.d/alpha.yaml is loaded and in use.") && fine.cells.contains("id: alpha"))
            #expect(
                fine.cells.contains("<dt>Branches</dt><dd>North (north), South (south)</dd>")
                    && fine.cells.contains("<dt>Backups</dt><dd>the server&#39;s schedule</dd>")
            )
            #expect(fine.cells.contains("<dt>Limits</dt><dd>25 users, 10 branches, 600 requests a minute</dd>"))

            try workspace.write("alpha", TestTenant.yaml("alpha", extra: "branches: [{code: north, name: North}]\ncolour: blue"))
            await server.reloader.reload()
            let rejected = try await admin.get("/t/alpha/admin/settings")
            #expect(rejected.cells.contains("The last edit of tenants.d/alpha.yaml was rejected"))
            #expect(rejected.cells.contains("tenants.d/alpha.yaml:8:1: unknown key &#39;colour&#39;"))
            #expect(rejected.cells.contains("colour: blue"))  // the file as it is now
        }
    }
}

extension AdminPagesTests {
    @Test func anAPIKeyIsShownOnceWorksAndStopsWorkingWhenRevoked() async throws {
        let scenario = try await ClinicScenario(tenant: "") { try await Self.server($0) }
        try await scenario.run { session in
            var admin = WebBrowser(session.client)
            try await admin.signIn(tenant: "alpha", email: "boss@example.com", password: Self.password)
            try await admin.get("/t/alpha/admin/api-keys")
            #expect(try await admin.post("/t/alpha/admin/api-keys", ["name": ""]).cells.contains(#"id="name-error""#))
            // Nothing ticked, and an address that is not one: both said beside their fields, and what was typed is kept.
            let unticked = try await admin.post(
                "/t/alpha/admin/api-keys",
                ["name": "Lab <import>", "scope": "chosen", "allowed_addresses": "192.168.1.0/24 lab-pc"]
            )
            #expect(unticked.status == .unprocessableContent)
            #expect(
                unticked.cells.contains(#"<p class="field-error" id="actions-error">tick what the key may do, or choose “everything I may do”</p>"#)
            )
            #expect(unticked.cells.contains("“lab-pc” is not an address or range") && unticked.cells.contains(#"value="192.168.1.0/24 lab-pc""#))
            let created = try await admin.post(
                "/t/alpha/admin/api-keys",
                ["name": "Lab <import>", "scope": "chosen", "action_patients.read": "true", "valid_until": "2999-12-31"]
            )
            #expect(created.status == .created && created.headers[.cacheControl] == "no-store")
            let key = try #require(
                created.cells.range(of: #"value="cbx_[^"]+""#, options: .regularExpression).map { String(created.cells[$0].dropFirst(7).dropLast()) }
            )
            #expect(
                created.cells.contains(
                    "<td>Lab &lt;import&gt;</td><td>boss@example.com</td><td>see patients</td><td>anywhere</td><td>through 31 Dec 2999"
                )
            )
            #expect(
                try await session.client.execute(uri: "/t/alpha/api/v1/patients", method: .get, headers: [.authorization: "Bearer \(key)"]).status
                    == .ok
            )
            #expect(
                try await session.client.execute(uri: "/t/alpha/api/v1/audit", method: .get, headers: [.authorization: "Bearer \(key)"]).status
                    == .forbidden
            )
            let listed = try await admin.get("/t/alpha/admin/api-keys")
            #expect(!listed.cells.contains(key))  // never shown again

            let revokeLink = try #require(
                listed.cells.range(of: #"/t/alpha/admin/api-keys/\d+/revoke"#, options: .regularExpression).map { String(listed.cells[$0]) }
            )
            #expect(try await admin.get(revokeLink).cells.contains("Revoke the API key &quot;Lab &lt;import&gt;&quot;?"))
            #expect(try await admin.post(revokeLink, [:]).headers[.location] == "/t/alpha/admin/api-keys?done=revoked")
            #expect(
                try await session.client.execute(uri: "/t/alpha/api/v1/patients", method: .get, headers: [.authorization: "Bearer \(key)"]).status
                    == .unauthorized
            )
        }
    }

    /// The audit page filters by record type, patient and period, pages back 100 at a time, and downloads CSV.
    @Test func theAuditPageFiltersPagesAndDownloads() async throws {
        let scenario = try await ClinicScenario(tenant: "alpha") { try await Self.server($0) }
        try await scenario.run { session in
            // The day the entries are written on; a run that crosses midnight in Berlin cannot check a day's filter.
            let today = CalendarDate.today(in: TimeZone(identifier: "Europe/Berlin")!)
            let desk = try await session.signIn("desk@example.com")
            for index in 0..<101 { _ = try await desk.create("patients", ["first_name": "Patient", "last_name": "Number \(index)"]) }
            _ = try await desk.patch("patients/1", ["version": 1, "phone": "+49 30 555 0100"])
            var admin = WebBrowser(session.client)
            try await admin.signIn(tenant: "alpha", email: "boss@example.com", password: Self.password)

            let first = try await admin.get("/t/alpha/admin/audit?type=patient")
            #expect(first.cells.components(separatedBy: "<tr><td>").count - 1 == 100 && !first.cells.contains("Boss signed in"))
            #expect(first.cells.contains(#"<td>Desk registered <a href="/t/alpha/patients/101">Patient Number 100 (P-000101)</a></td>"#))
            let older = try #require(
                first.cells.range(of: #"href="[^"]*before=\d+[^"]*">Older entries"#, options: .regularExpression).map {
                    String(first.cells[$0].dropFirst(6).prefix { $0 != "\"" })
                }
            )
            let second = try await admin.get(older.replacingOccurrences(of: "&amp;", with: "&"))
            #expect(
                second.cells.components(separatedBy: "<tr><td>").count - 1 == 2 && second.cells.contains(">Newest entries</a>")
                    && !second.cells.contains("Older entries")
            )

            let one = try await admin.get("/t/alpha/admin/audit?patient=P-000001")
            #expect(one.cells.components(separatedBy: "<tr><td>").count - 1 == 2 && one.cells.contains("phone: +49 30 555 0100"))
            if CalendarDate.today(in: TimeZone(identifier: "Europe/Berlin")!) == today {
                #expect(try await admin.get("/t/alpha/admin/audit?type=patient&from=\(today.adding(days: 1))").cells.contains("No entries match."))
                #expect(try await admin.get("/t/alpha/admin/audit?type=patient&from=\(today)&to=\(today)").cells.contains("Older entries"))
            }
            let nobody = try await admin.get("/t/alpha/admin/audit?patient=P-999999")
            #expect(nobody.status == .badRequest && nobody.cells.contains("No record has the patient number P-999999."))
            #expect(nobody.cells.contains(#"<label for="patient">Patient number</label>"#))
            let bad = try await admin.get("/t/alpha/admin/audit?from=yesterday")
            #expect(bad.status == .badRequest && bad.cells.contains("yesterday is not a date; write it as YYYY-MM-DD."))

            let csv = try await admin.get("/t/alpha/admin/audit?patient=P-000001&format=csv")
            #expect(csv.headers[.contentDisposition] == #"attachment; filename="alpha-audit.csv""#)
            let lines = csv.cells.split(separator: "\r\n")
            #expect(lines.first == "time,what happened,changes,user,action,record" && lines.count == 3)
            #expect(
                lines[1].hasSuffix(
                    ",Desk changed the details of Patient Number 0 (P-000001),phone: +49 30 555 0100,desk@example.com,patients.update,patient 1"
                )
            )
            let offset = TimeZone(identifier: "Europe/Berlin")!.secondsFromGMT() / 3600  // 1 in winter, 2 in summer
            #expect(lines[1].range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0\#(offset):00,"#, options: .regularExpression) != nil)
        }
    }
}
