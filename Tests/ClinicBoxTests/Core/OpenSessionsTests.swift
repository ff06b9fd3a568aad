import ClinicBoxCore
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// A user sees their open page sessions and ends the ones that should not be open; an admin ends all of a user's.
@Suite struct OpenSessionsTests {
    static let firefoxOnWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
    static let chromeOnAndroid = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"

    static func signIn(_ client: any TestClientProtocol, _ email: String, from agent: String) async throws -> WebBrowser {
        var browser = WebBrowser(client)
        try await browser.get("/t/clinic/login")
        let answer = try await browser.post("/t/clinic/login", ["email": email, "password": TestUsers.password], headers: [.userAgent: agent])
        #expect(answer.status == .seeOther)
        return browser
    }

    @Test func theDeskEndsTheSessionLeftOnAPhoneAndAnAdminEndsTheRest() async throws {
        let clinic = try await ClinicScenario(features: ["patients"])
        try await clinic.run { session in
            var desk = try await Self.signIn(session.client, "staff@example.com", from: Self.firefoxOnWindows)
            var phone = try await Self.signIn(session.client, "staff@example.com", from: Self.chromeOnAndroid)
            #expect(try await desk.get("/t/clinic/").cells.contains(#"<a href="/t/clinic/account/sessions">Your sessions</a>"#))
            let list = try await desk.get("/t/clinic/account/sessions").cells
            #expect(list.contains("Firefox on Windows <strong>(this one)</strong>") && list.contains("Chrome on Android"))
            let ends = list.ranges(of: /account\/sessions\/(\d+)\/end/).map { String(list[$0]) }
            #expect(ends.count == 1, "only the other session can be ended here")
            let phoneSession = try #require(ends.first?.split(separator: "/")[2])

            // Another user cannot end it.
            var other = try await Self.signIn(session.client, "clinician@example.com", from: Self.firefoxOnWindows)
            try await other.get("/t/clinic/account/sessions")
            #expect(try await other.post("/t/clinic/account/sessions/\(phoneSession)/end", [:]).status == .notFound)

            let ended = try await desk.post("/t/clinic/account/sessions/\(phoneSession)/end", [:])
            #expect(ended.status == .seeOther && ended.headers[.location] == "/t/clinic/account/sessions")
            #expect(try await phone.get("/t/clinic/patients").headers[.location] == "/t/clinic/login?next=/t/clinic/patients")
            #expect(try await desk.get("/t/clinic/patients").status == .ok)

            // The admin sees where the user is signed in and ends it all.
            var admin = try await Self.signIn(session.client, "admin@example.com", from: Self.chromeOnAndroid)
            let database = try await clinic.server.databases.database(for: TenantID("clinic")!, creating: false)
            let staff = try #require(
                try await database.read { db in try Int.fetchOne(db, sql: "SELECT id FROM users WHERE email = 'staff@example.com'") }
            )
            let edit = try await admin.get("/t/clinic/admin/users/\(staff)/edit").cells
            #expect(edit.contains("Firefox on Windows") && !edit.contains("Chrome on Android") && edit.contains("End all their sessions"))
            let all = try await admin.post("/t/clinic/admin/users/\(staff)/sessions/end", [:])
            #expect(all.status == .seeOther && all.headers[.location] == "/t/clinic/admin/users?done=sessions")
            #expect(try await desk.get("/t/clinic/patients").status == .seeOther)
            #expect(try await admin.get("/t/clinic/admin/users/\(staff)/edit").cells.contains("they are not signed in to the pages anywhere"))

            let audit = try await session.signIn(as: .admin).get("audit?limit=50").text
            #expect(audit.contains("auth.session_ended") && audit.contains("auth.sessions_ended"))
        }
    }
}
