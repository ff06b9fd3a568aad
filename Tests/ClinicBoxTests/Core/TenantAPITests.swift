import ClinicBox
import ClinicBoxCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The JSON API skeleton: health, public branding, and the loopback-only tenant directory.
@Suite struct TenantAPITests {
    static func workspace() throws -> TestWorkspace {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha", extra: "branding:\n  company_name: Alpha & Co\n  primary_color: \"#112233\"\n  logo: default.svg")
        try workspace.writeTenant("beta")
        try workspace.write("broken", "id: broken\nname: [x]\n")
        return workspace
    }

    @Test func healthCountsProblemsAndAdministratorsSeeThem() async throws {
        let workspace = try Self.workspace()
        let server = try await workspace.server()
        try await server.application.test(.router) { client in
            let response = try await client.execute(uri: "/healthz", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            #expect(response.json["status"] as? String == "degraded")
            #expect(response.json["tenants"] as? Int == 2)
            #expect((response.json["problems"] as? Int ?? 0) > 0 && response.json["errors"] == nil)
            #expect(!response.text.contains("broken"), "the public health names no file: \(response.text)")
            #expect(try await client.execute(uri: "/api/system/problems", method: .get).status == .unauthorized)
            let errors = try await client.serverProblems(workspace)
            #expect(errors.map { "\($0["file"] ?? ""):\($0["line"] ?? ""):\($0["column"] ?? "")" }.contains("tenants.d/broken.yaml:2:7"))
        }
    }

    @Test func brandingAndLogoArePublic() async throws {
        let workspace = try Self.workspace()
        let server = try await workspace.server()
        try await server.application.test(.router) { client in
            let branding = try await client.execute(uri: "/api/tenants/alpha/branding", method: .get)
            #expect(branding.json["company_name"] as? String == "Alpha & Co")
            #expect(branding.json["primary_color"] as? String == "#112233")
            #expect(branding.json["logo_url"] as? String == "/api/tenants/alpha/logo")
            let logo = try await client.execute(uri: "/api/tenants/alpha/logo", method: .get)
            #expect(logo.headers[.contentType] == "image/svg+xml")
            #expect(logo.text.hasPrefix("<svg"))
            #expect(try await client.execute(uri: "/api/tenants/beta/logo", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/api/tenants/nobody/branding", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/api/tenants/Not..An..Id/branding", method: .get).status == .badRequest)
        }
    }

    @Test func tenantDirectoryIsForAdministrators() async throws {
        let workspace = try Self.workspace()
        let server = try await workspace.server()
        try await SystemAdmins.open(dataFolder: workspace.data).add(email: "root@example.com", password: "system passphrase here")
        try await server.addUser("boss@example.com", role: .admin, password: "chief harbour passphrase", to: ["alpha"])
        try await server.addUser("desk@example.com", role: .staff, password: "front harbour passphrase", to: ["alpha"])
        try await server.application.test(.router) { client in
            func token(_ uri: String, _ email: String, _ password: String) async throws -> String {
                let body = ByteBuffer(string: #"{"email":"\#(email)","password":"\#(password)"}"#)
                let response = try await client.execute(uri: uri, method: .post, headers: [.contentType: "application/json"], body: body)
                return try #require(response.json["token"] as? String, "\(response.text)")
            }
            func status(_ uri: String, _ token: String?) async throws -> HTTPResponse.Status {
                try await client.execute(uri: uri, method: .get, headers: token.map { [.authorization: "Bearer \($0)"] } ?? [:]).status
            }
            let system = try await token("/api/system/token", "root@example.com", "system passphrase here")
            let boss = try await token("/t/alpha/api/v1/auth/token", "boss@example.com", "chief harbour passphrase")
            let desk = try await token("/t/alpha/api/v1/auth/token", "desk@example.com", "front harbour passphrase")

            #expect(try await status("/api/tenants", nil) == .unauthorized)
            #expect(try await status("/api/tenants", boss) == .unauthorized)
            let list = try await client.execute(uri: "/api/tenants", method: .get, headers: [.authorization: "Bearer \(system)"])
            let ids = try JSONSerialization.jsonObject(with: Data(buffer: list.body)) as? [[String: Any]]
            #expect(ids?.compactMap { $0["id"] as? String } == ["alpha", "beta"])

            let config = try await client.execute(uri: "/api/tenants/alpha/config", method: .get, headers: [.authorization: "Bearer \(system)"])
            #expect(config.json["file"] as? String == "tenants.d/alpha.yaml")
            #expect(config.json["timezone"] as? String == "Europe/Berlin")
            #expect(config.json["status"] as? String == "ok")
            #expect(try await status("/api/tenants/alpha/config", boss) == .ok)
            #expect(try await status("/api/tenants/beta/config", boss) == .unauthorized)
            #expect(try await status("/api/tenants/alpha/config", desk) == .forbidden)  // a valid token of a role that may not
            // A system administrator holds no account in the tenant, so its records stay closed.
            #expect(try await status("/t/alpha/api/v1/audit", system) == .unauthorized)
        }
        #expect(FileManager.default.fileExists(atPath: workspace.data + "/system.sqlite"))
        #expect(!FileManager.default.fileExists(atPath: workspace.data + "/beta.sqlite"))
    }

    @Test func signInPageIsBrandedAndEscaped() async throws {
        let workspace = try Self.workspace()
        let server = try await workspace.server()
        try await server.application.test(.router) { client in
            let home = try await client.execute(uri: "/t/alpha/", method: .get)
            #expect(home.status == .seeOther)
            #expect(home.headers[.location] == "/t/alpha/login?next=/t/alpha/")
            let page = try await client.execute(uri: "/t/alpha/login", method: .get)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.text.contains("Alpha &amp; Co"))
            #expect(page.text.contains(#"<link rel="stylesheet" href="/t/alpha/brand.css">"#))
            let brand = try await client.execute(uri: "/t/alpha/brand.css", method: .get)
            #expect(brand.headers[.contentType] == "text/css; charset=utf-8")
            #expect(brand.text.contains("--primary:#112233;--on-primary:#FFFFFF"))
        }
    }
}
