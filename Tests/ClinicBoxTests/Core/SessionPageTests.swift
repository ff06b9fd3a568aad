import ClinicBox
import ClinicBoxCore
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Cookie sessions for pages: sign-in, rotation, tenant binding, CSRF and the ways a session ends.
@Suite struct SessionPageTests {
    static let password = TestUsers.password

    /// A browser's cookie jar, just enough for these tests.
    struct Browser {
        var cookies: [String: String] = [:]

        mutating func absorb(_ response: TestResponse) {
            for value in response.headers[values: .setCookie] {
                let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
                let (name, content) = (String(pair[0]), pair.count > 1 ? String(pair[1]) : "")
                if value.contains("Max-Age=0") || content.isEmpty { cookies[name] = nil } else { cookies[name] = content }
            }
        }

        var header: HTTPFields {
            cookies.isEmpty ? [:] : [.cookie: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")]
        }
    }

    static func post(
        _ client: some TestClientProtocol,
        _ uri: String,
        _ form: String,
        _ browser: Browser,
        extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = browser.header
        headers[.contentType] = "application/x-www-form-urlencoded"
        headers.append(contentsOf: extra)
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: form))
    }

    /// Loads the login page and signs in; returns the browser holding the session cookie.
    static func signIn(
        _ client: some TestClientProtocol,
        tenant: String = "alpha",
        password: String = password
    ) async throws -> (Browser, TestResponse) {
        var browser = Browser()
        let page = try await client.execute(uri: "/t/\(tenant)/login", method: .get)
        browser.absorb(page)
        let token = try #require(WebBrowser.hiddenToken(page.text))
        let response = try await post(
            client,
            "/t/\(tenant)/login",
            "email=boss%40example.com&password=\(password.replacingOccurrences(of: " ", with: "+"))&csrf_token=\(token)",
            browser
        )
        browser.absorb(response)
        return (browser, response)
    }

    static func server(_ workspace: TestWorkspace) async throws -> ClinicBoxServer {
        try workspace.writeTenant("alpha")
        try workspace.writeTenant("beta")
        let server = try await workspace.server()
        try await server.addUser("boss@example.com", role: .admin, password: password, to: ["alpha", "beta"])
        return server
    }

    @Test func signInSetsAHardenedRotatedSessionCookie() async throws {
        let scenario = try await ClinicScenario(tenant: "") { try await Self.server($0) }
        try await scenario.run { session in
            let (browser, response) = try await Self.signIn(session.client)
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/t/alpha/")
            let cookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("cbx_session=") })
            #expect(cookie.contains("; Path=/t/alpha;") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"))
            #expect(!cookie.contains("Domain="))
            #expect(try #require(browser.cookies["cbx_session"]).count >= 43)  // 256 bits

            let home = try await session.client.execute(uri: "/t/alpha/", method: .get, headers: browser.header)
            #expect(home.status == .ok)
            #expect(home.text.contains("Signed in as Boss"))
            // Signing in again gives a new session id.
            let (again, _) = try await Self.signIn(session.client)
            #expect(again.cookies["cbx_session"] != browser.cookies["cbx_session"])
        }
    }

    @Test func aCookieOfOneTenantIsNoSessionAtAnother() async throws {
        let scenario = try await ClinicScenario(tenant: "") { try await Self.server($0) }
        try await scenario.run { session in
            let (browser, _) = try await Self.signIn(session.client, tenant: "alpha")
            let replay = try await session.client.execute(uri: "/t/beta/", method: .get, headers: browser.header)
            #expect(replay.status == .seeOther)
            #expect(replay.headers[.location] == "/t/beta/login?next=/t/beta/")
        }
    }

    @Test func wrongPasswordKeepsTheTypedEmailAndSaysWhy() async throws {
        let scenario = try await ClinicScenario(tenant: "") { try await Self.server($0) }
        try await scenario.run { session in
            let (browser, response) = try await Self.signIn(session.client, password: "not the password")
            #expect(response.status == .unauthorized)
            #expect(response.text.contains("The email or password is wrong"))
            #expect(response.text.contains(#"value="boss@example.com""#))
            #expect(browser.cookies["cbx_session"] == nil)
        }
    }

    @Test func formsWithoutAValidTokenOrFromAnotherSiteAreRefused() async throws {
        let scenario = try await ClinicScenario(tenant: "") { try await Self.server($0) }
        let server = scenario.server
        try await scenario.run { session in
            // Login form: the hidden token must match the login cookie.
            var stranger = Browser()
            stranger.absorb(try await session.client.execute(uri: "/t/alpha/login", method: .get))
            let forged = try await Self.post(session.client, "/t/alpha/login", "email=boss%40example.com&password=x&csrf_token=guess", stranger)
            #expect(forged.status == .forbidden)

            let (browser, _) = try await Self.signIn(session.client)
            let home = try await session.client.execute(uri: "/t/alpha/", method: .get, headers: browser.header)
            let token = try #require(WebBrowser.hiddenToken(home.text))
            #expect(try await Self.post(session.client, "/t/alpha/logout", "", browser).status == .forbidden)
            #expect(try await Self.post(session.client, "/t/alpha/logout", "csrf_token=wrong", browser).status == .forbidden)
            // A sibling tenant's page is same-site but not same-origin: refused even with the right token.
            let sibling = try await Self.post(
                session.client,
                "/t/alpha/logout",
                "csrf_token=\(token)",
                browser,
                extra: [HTTPField.Name("Sec-Fetch-Site")!: "same-site"]
            )
            #expect(sibling.status == .forbidden)
            let otherOrigin = try await Self.post(
                session.client,
                "/t/alpha/logout",
                "csrf_token=\(token)",
                browser,
                extra: [.origin: "http://beta.localhost:8080"]
            )
            #expect(otherOrigin.status == .forbidden)
            // Still signed in after all the refused attempts.
            #expect(try await session.client.execute(uri: "/t/alpha/", method: .get, headers: browser.header).text.contains("Signed in as"))

            let logout = try await Self.post(
                session.client,
                "/t/alpha/logout",
                "csrf_token=\(token)",
                browser,
                extra: [HTTPField.Name("Sec-Fetch-Site")!: "same-origin"]
            )
            #expect(logout.status == .seeOther)
            // The old cookie is dead on the server, not just removed from the browser.
            #expect(!(try await session.client.execute(uri: "/t/alpha/", method: .get, headers: browser.header).text.contains("Signed in as")))
        }
        let database = try await server.databases.database(for: TenantID("alpha")!, creating: true)
        let actions = try await database.read { db in
            try String.fetchAll(db, sql: "SELECT action FROM audit_log WHERE action LIKE 'auth.%' ORDER BY id")
        }
        #expect(actions == ["auth.login", "auth.session_started", "auth.logout"])
    }

    @Test func passwordChangeAndDisablingEndSessions() async throws {
        let workspace = try TestWorkspace()
        let server = try await Self.server(workspace)
        let accounts = try await server.accounts("alpha")
        try await server.application.test(.router) { client in
            let (first, _) = try await Self.signIn(client)
            try await accounts.setPassword(email: "boss@example.com", to: "a brand new passphrase", by: .commandLine)
            #expect(!(try await client.execute(uri: "/t/alpha/", method: .get, headers: first.header).text.contains("Signed in as")))

            let (second, _) = try await Self.signIn(client, password: "a brand new passphrase")
            #expect(try await client.execute(uri: "/t/alpha/", method: .get, headers: second.header).text.contains("Signed in as"))
            try await accounts.disable(email: "boss@example.com", by: .commandLine)
            #expect(!(try await client.execute(uri: "/t/alpha/", method: .get, headers: second.header).text.contains("Signed in as")))
        }
    }
}

extension SessionPageTests {
    @Test(arguments: [false, true])
    func forwardedHeadersCountOnlyBehindATrustedProxy(trustProxy: Bool) async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha")
        let server = try await workspace.server { $0.trustProxy = trustProxy }
        try await server.addUser("boss@example.com", role: .admin, password: Self.password, to: ["alpha"])
        let database = try await server.databases.database(for: TenantID("alpha")!, creating: true)
        let proxy: HTTPFields = [HTTPField.Name("X-Forwarded-Proto")!: "https", HTTPField.Name("X-Forwarded-For")!: "198.51.100.7, 203.0.113.5"]
        try await server.application.test(.router) { client in
            var browser = Browser()
            let page = try await client.execute(uri: "/t/alpha/login", method: .get, headers: proxy)
            browser.absorb(page)
            let token = try #require(WebBrowser.hiddenToken(page.text))
            let response = try await Self.post(
                client,
                "/t/alpha/login",
                "email=boss%40example.com&password=correct+horse+battery&csrf_token=\(token)",
                browser,
                extra: proxy
            )
            let cookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("cbx_session=") })
            #expect(cookie.hasSuffix("; Secure") == trustProxy)
        }
        let addresses = try await database.read { db in
            try String.fetchAll(db, sql: "SELECT client_address FROM audit_log WHERE action = 'auth.login'")
        }
        #expect(addresses == [trustProxy ? "203.0.113.5" : "unknown"])
    }
}
