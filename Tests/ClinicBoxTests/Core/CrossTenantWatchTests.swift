import ClinicBoxCore
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// A credential or sign-in email of one clinic tried at another is refused as before, and also counted, logged and
/// listed for the box's system administrators.
@Suite struct CrossTenantWatchTests {
    @Test func anotherTenantsTokenCookieSetupLinkAndEmailAreSeen() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha")
        try workspace.writeTenant("beta")
        try workspace.writeTenant("gamma")  // no admin yet: it has a setup link
        let log = CapturedLog()
        let server = try await workspace.server {
            $0.metricsListener = ListenAddress(host: "127.0.0.1", port: 0)
            $0.logger = log.logger(level: .notice)
        }
        try await server.addUser("boss@example.com", role: .admin, password: TestUsers.password, to: ["alpha", "beta"])
        try await server.addUser("nurse@example.com", role: .staff, password: TestUsers.password, to: ["alpha"])
        let admins = try SystemAdmins.open(dataFolder: workspace.data)
        try await admins.add(email: "root@example.com", password: SystemAdminFixture.password)
        let scraper = try #require(server.metricsApplication)

        try await server.application.test(.live) { client in
            let port = try #require(client.port)
            let alphaToken = try await TestUsers.token(client, tenant: "alpha", email: "boss@example.com")
            #expect(try await client.execute(uri: "/t/alpha/api/v1/auth/tokens", method: .get, headers: TestUsers.bearer(alphaToken)).status == .ok)

            // Alpha's token at beta: the same quiet 401 as ever, five times.
            for _ in 0..<5 {
                let refused = try await client.execute(uri: "/t/beta/api/v1/auth/tokens", method: .get, headers: TestUsers.bearer(alphaToken))
                #expect(refused.status == .unauthorized && refused.json["title"] as? String == "Invalid token")
            }
            // Noise is not an event: a made-up token, and beta's own revoked one.
            let madeUp = "cbx_" + String(repeating: "A", count: 51)
            #expect(
                try await client.execute(uri: "/t/beta/api/v1/auth/tokens", method: .get, headers: TestUsers.bearer(madeUp)).status == .unauthorized
            )
            let betaToken = try await TestUsers.token(client, tenant: "beta", email: "boss@example.com")
            _ = try await client.execute(uri: "/t/beta/api/v1/auth/tokens", method: .get, headers: TestUsers.bearer(betaToken))

            // Alpha's page cookie at beta: beta's sign-in page, as for anyone not signed in.
            var browser = WebBrowser(client)
            try await browser.signIn(tenant: "alpha", email: "boss@example.com", password: TestUsers.password)
            let cookie = try #require(browser.jar.cookies["cbx_session"])
            let page = try await client.execute(uri: "/t/beta/patients", method: .get, headers: [.cookie: "cbx_session=\(cookie)"])
            #expect(page.status == .seeOther && page.headers[.location] == "/t/beta/login?next=/t/beta/patients")

            // Gamma's setup link at alpha, and alpha's nurse signing in at beta.
            let setup = try await SetupLinkTests.link(log, "gamma", port: port)
            #expect(try await client.execute(uri: "/t/alpha/setup?token=\(setup)", method: .get).status == .notFound)
            let wrongClinic = try await TestUsers.signIn(client, tenant: "beta", email: "Nurse@example.com")
            #expect(wrongClinic.status == .unauthorized)
            #expect(try await TestUsers.signIn(client, tenant: "beta", email: "nobody@example.com").status == .unauthorized)  // nobody's

            try await scraper.test(.router) { scraper in
                let metrics = try await scraper.execute(uri: "/metrics", method: .get).text
                #expect(metrics.contains(#"clinicbox_cross_tenant_credentials_total{tenant="beta"} 7"#), "\(metrics)")
                #expect(metrics.contains(#"clinicbox_cross_tenant_credentials_total{tenant="alpha"} 1"#))
            }

            let root = try await SystemAdminFixture.token(client, "root@example.com")
            let listed = try await SystemAdminFixture.call(client, .get, "/api/system/security-events", root)
            let events = listed.json["events"] as? [[String: Any]] ?? []
            let seen = events.map {
                "\($0["kind"] as? String ?? "") of \($0["belongs_to"] as? String ?? "") at \($0["presented_at"] as? String ?? "")"
            }
            // Five presentations in a row are one event (two if a minute ended between them).
            #expect(
                Set(seen) == [
                    "bearer token or API key of alpha at beta", "session cookie of alpha at beta", "setup link of gamma at alpha",
                    "sign-in email of alpha at beta",
                ]
            )
            #expect((4...5).contains(events.count))
            #expect(events.allSatisfy { $0["source"] as? String == "127.0.0.1" })
            #expect(
                try await client.execute(uri: "/api/system/security-events", method: .get, headers: TestUsers.bearer(alphaToken)).status
                    == .unauthorized
            )

            let warnings = log.all.filter { $0.contains("was presented at tenant") }
            #expect(
                warnings.contains(
                    "a bearer token or API key of tenant alpha was presented at tenant beta belongs_to=alpha path=/t/beta/api/v1/auth/tokens presented_at=beta source=127.0.0.1"
                )
            )
            #expect(!log.all.joined().contains(alphaToken) && !log.all.joined().contains(cookie) && !log.all.joined().contains("nurse@"))
        }

        let printed = try await ClinicBoxBinary.run(["security", "events", "--data", workspace.data], in: workspace.root)
        #expect(printed.status == 0)
        #expect(printed.output.contains("127.0.0.1  presented a bearer token or API key of tenant alpha at tenant beta (/t/beta/api/v1/auth/tokens)"))
        #expect(printed.output.contains("presented a sign-in email of tenant alpha at tenant beta (/t/beta/api/v1/auth/token)"))
    }

    /// Watching a database's users must not keep it open: a closed database's pool is freed (and so checkpointed).
    @Test func aWatchedDatabaseStillClosesWhenLetGo() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha")
        let server = try await workspace.server()
        try await server.addUser("boss@example.com", role: .admin, password: TestUsers.password, to: ["alpha"])
        weak var pool: DatabasePool?
        do {
            let database = try await server.databases.database(for: TenantID("alpha")!, creating: false)
            pool = database.pool
            try await database.write { db in try db.execute(sql: "UPDATE users SET display_name = 'Boss' WHERE email = 'boss@example.com'") }
        }
        #expect(pool != nil)
        server.databases.close(TenantID("alpha")!)
        for _ in 0..<50 where pool != nil { try await Task.sleep(for: .milliseconds(20)) }
        #expect(pool == nil, "the pool outlived its close: something holds it")
    }

    @Test func marksAreTheTenantsOwnAndNeedTheBoxesKey() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("marks-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let marks = try #require(CredentialMarks.of(dataFolder: folder))
        let (alpha, beta) = (TenantID("alpha")!, TenantID("beta")!)
        #expect(marks.mark(alpha).count == 8 && marks.mark(alpha) != marks.mark(beta))
        #expect(marks.owner(of: "cbx_" + marks.mark(alpha) + "x", among: [alpha, beta]) == alpha)
        #expect(marks.owner(of: marks.mark(beta) + "x", among: [alpha, beta]) == beta)
        #expect(marks.owner(of: marks.mark(beta), among: [alpha, beta]) == nil, "a mark alone is no credential")
        let attributes = try FileManager.default.attributesOfItem(atPath: folder + "/.credential-marks.key")
        #expect((attributes[.posixPermissions] as? Int) == 0o600 && (attributes[.size] as? Int) == 32)
        // Another box (another key) makes other marks for the same tenant.
        let other = CredentialMarks(key: .init(size: .bits256))
        #expect(other.mark(alpha) != marks.mark(alpha))
    }
}
