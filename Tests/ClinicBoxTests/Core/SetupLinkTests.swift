import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ClinicBox
@testable import ClinicBoxCore
@testable import Patients

/// The first admin from the browser: a one-time link printed in the log, through the real server on a real port.
@Suite struct SetupLinkTests {
    /// The token of the last link printed for `tenant`, checking the line's wording and address on the way. Links
    /// are made beside serving, so the first may take a moment to appear.
    static func link(_ log: CapturedLog, _ tenant: String, port: Int) async throws -> String {
        let prefix = "\(tenant) has no admin yet: open http://\(tenant).localhost:\(port)/setup?token="
        for _ in 0..<100 where !log.all.contains(where: { $0.hasPrefix(prefix) }) { try await Task.sleep(for: .milliseconds(20)) }
        let line = try #require(log.all.last { $0.hasPrefix(prefix) }, "no setup link for \(tenant) in \(log.all)")
        #expect(line.contains(" (valid 1 hour, this link only)"))
        return String(line.dropFirst(prefix.count).prefix { $0 != " " })
    }

    static func server(_ workspace: TestWorkspace, _ log: CapturedLog) async throws -> ClinicBoxServer {
        try await workspace.server { $0.logger = log.logger(level: .notice) }
    }

    static func setup(_ browser: inout WebBrowser, _ tenant: String, token: String, _ fields: [String: String]) async throws -> TestResponse {
        var all = fields
        all["token"] = token
        return try await browser.post("/t/\(tenant)/setup", all)
    }

    @Test func theFirstAdminIsMadeThroughThePrintedLinkOnceAndSignedIn() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha", name: "Alpha Clinic")
        try workspace.writeTenant("beta")
        let log = CapturedLog()
        let server = try await Self.server(workspace, log)
        try await server.application.test(.live) { client in
            let port = try #require(client.port)
            let token = try await Self.link(log, "alpha", port: port)
            let betaToken = try await Self.link(log, "beta", port: port)
            #expect(token.count >= 22 && token != betaToken)  // base64url of 32 random bytes: 256 bits
            #expect(!log.all.joined().contains("gamma"))

            var browser = WebBrowser(client)
            let login = try await browser.get("/t/alpha/login")
            #expect(login.text.contains("this clinic has no admin") && login.text.contains("alpha has no admin yet: open …/setup?token=…"))

            // A wrong token, another tenant's, or none: a page that says where links come from, and nothing is made.
            for bad in ["/t/alpha/setup?token=\(String(token.reversed()))", "/t/alpha/setup?token=\(betaToken)", "/t/alpha/setup"] {
                let refused = try await browser.get(bad)
                #expect(refused.status == .notFound && refused.text.contains("This setup link does not work"), "\(bad)")
                #expect(refused.text.contains("look for the line that begins <code>alpha has no admin yet"))
            }
            #expect(!server.databases.hasDatabase(TenantID("alpha")!))

            // The printed address itself: the tenant from the host name.
            let form = try await RawHTTP.get(port: port, path: "/setup?token=\(token)", headers: [("Host", "alpha.localhost:\(port)")])
            #expect(form.status == 200 && form.body.contains("Set up Alpha Clinic") && form.body.contains(#"name="password_again""#))

            // Mistakes keep what was typed, except the passwords, with the message beside the field; the link still works.
            _ = try await browser.get("/t/alpha/setup?token=\(token)")
            let differ = try await Self.setup(
                &browser,
                "alpha",
                token: token,
                [
                    "display_name": "Amina Njeri", "email": "amina@alpha.test", "password": "tidal lantern meadow",
                    "password_again": "tidal lantern meadows",
                ]
            )
            #expect(
                differ.status == .unprocessableContent && differ.text.contains(#"id="password_again-error""#)
                    && differ.text.contains("the two passwords differ")
            )
            #expect(
                differ.text.contains(#"value="amina@alpha.test""#) && differ.text.contains(#"value="Amina Njeri""#)
                    && !differ.text.contains("tidal lantern")
            )
            let weak = try await Self.setup(
                &browser,
                "alpha",
                token: token,
                [
                    "display_name": "Amina Njeri", "email": "amina@alpha.test", "password": "password12", "password_again": "password12",
                ]
            )
            #expect(
                weak.status == .unprocessableContent && weak.text.contains(#"id="password-error""#)
                    && weak.text.contains("commonly used and leaked passwords")
            )
            let badEmail = try await Self.setup(
                &browser,
                "alpha",
                token: token,
                [
                    "display_name": "Amina Njeri", "email": "amina", "password": "tidal lantern meadow", "password_again": "tidal lantern meadow",
                ]
            )
            #expect(badEmail.status == .unprocessableContent && badEmail.text.contains(#"id="email-error""#))

            let made = try await Self.setup(
                &browser,
                "alpha",
                token: token,
                [
                    "display_name": "Amina Njeri", "email": "Amina@Alpha.test", "password": "tidal lantern meadow",
                    "password_again": "tidal lantern meadow",
                ]
            )
            #expect(made.status == .seeOther && made.headers[.location] == "/t/alpha/")
            let dashboard = try await browser.get("/t/alpha/")
            #expect(dashboard.status == .ok && dashboard.text.contains("Amina Njeri"))

            // Used once: the same link now says the clinic has an admin, and so does a fresh form's submission.
            let again = try await browser.get("/t/alpha/setup?token=\(token)")
            #expect(again.status == .notFound && again.text.contains("has an admin already"))
            // Even with a form cookie and token of their own making, as anyone can send.
            var stranger = WebBrowser(client)
            stranger.jar.cookies[SetupPages.formCookie] = "forged"
            stranger.formToken = "forged"
            let replay = try await Self.setup(
                &stranger,
                "alpha",
                token: token,
                [
                    "display_name": "Mallory", "email": "mallory@evil.test", "password": "tidal lantern meadow",
                    "password_again": "tidal lantern meadow",
                ]
            )
            #expect(replay.status == .notFound)
            #expect(!(try await browser.get("/t/alpha/login")).text.contains("no admin"))

            // An admin made at the command line retires beta's link too.
            try await server.addUser("boss@beta.test", role: .admin, password: TestUsers.password, to: ["beta"])
            let late = try await browser.get("/t/beta/setup?token=\(betaToken)")
            #expect(late.status == .notFound && late.text.contains("has an admin already"))

            // A tenant file written later gets its own link at the reload.
            try workspace.writeTenant("gamma")
            await server.reloader.reload()
            _ = try await Self.link(log, "gamma", port: port)
        }
        let database = try await server.databases.database(for: TenantID("alpha")!)
        let users = try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT email, role, display_name FROM users").map {
                "\($0["email"] as String) \($0["role"] as String) \($0["display_name"] as String)"
            }
        }
        #expect(users == ["amina@alpha.test admin Amina Njeri"])
        let created = try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT user_email, client_address FROM audit_log WHERE action = 'user.created'").map {
                "\($0["user_email"] as String) \($0["client_address"] as String)"
            }
        }
        #expect(created == "setup 127.0.0.1")
    }

    @Test func anExpiredLinkIsRefusedAndTheSignInPagePrintsANewOne() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha")
        let log = CapturedLog()
        let server = try await Self.server(workspace, log)
        try await server.application.test(.live) { client in
            let port = try #require(client.port)
            let old = try await Self.link(log, "alpha", port: port)
            server.setupLinks.expire(for: TenantID("alpha")!)
            var browser = WebBrowser(client)
            #expect(try await browser.get("/t/alpha/setup?token=\(old)").status == .notFound)
            // The refusal printed a new link, as the sign-in page would have.
            let new = try await Self.link(log, "alpha", port: port)
            #expect(new != old)
            let form = try await browser.get("/t/alpha/setup?token=\(new)")
            #expect(form.status == .ok)
            // While that one lives, the sign-in page prints no other.
            let printed = log.all.count
            _ = try await browser.get("/t/alpha/login")
            #expect(log.all.count == printed)
        }
    }

    /// Two people submitting the same link at once: one admin, never two.
    @Test func twoSubmissionsOfOneLinkMakeOneAdmin() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha")
        let log = CapturedLog()
        let server = try await Self.server(workspace, log)
        let statuses = try await server.application.test(.live) { client in
            let token = try await Self.link(log, "alpha", port: try #require(client.port))
            var browsers: [WebBrowser] = []
            for _ in 0..<2 {
                var browser = WebBrowser(client)
                #expect(try await browser.get("/t/alpha/setup?token=\(token)").status == .ok)
                browsers.append(browser)
            }
            return try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for (index, browser) in browsers.enumerated() {
                    group.addTask {
                        var browser = browser
                        return try await Self.setup(
                            &browser,
                            "alpha",
                            token: token,
                            [
                                "display_name": "Admin \(index)", "email": "admin\(index)@alpha.test", "password": "tidal lantern meadow",
                                "password_again": "tidal lantern meadow",
                            ]
                        ).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        #expect(statuses.sorted { $0.code < $1.code } == [.seeOther, .notFound])
        let database = try await server.databases.database(for: TenantID("alpha")!)
        #expect(try await database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM users") } == 1)
    }
}
