import ClinicBox
import ClinicBoxCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Request → tenant resolution through the real HTTP stack: each method, precedence, conflicts and refusals.
@Suite struct TenantResolutionTests {
    static func workspace() throws -> TestWorkspace {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha", extra: "hosts: [alpha-clinic.example.com]")
        try workspace.writeTenant("beta")
        try workspace.writeTenant("gamma", extra: "active: false")
        return workspace
    }

    @Test(
        arguments: [
            ("/t/alpha/api/v1/tenant", [:]),
            ("/api/v1/tenant", ["X-Tenant-ID": "alpha"]),
            ("/api/v1/tenant?tenant=alpha", [:]),
            ("/t/alpha/api/v1/tenant", ["X-Tenant-ID": "alpha"]),
        ] as [(String, [String: String])]
    )
    func resolvesByPathHeaderAndQuery(_ uri: String, _ headers: [String: String]) async throws {
        let workspace = try Self.workspace()
        let server = try await workspace.server()
        try await server.application.test(.router) { client in
            let response = try await client.execute(uri: uri, method: .get, headers: HTTPFields(headers))
            #expect(response.status == .ok)
            #expect(response.headers[HTTPField.Name("X-Tenant-ID")!] == "alpha")
            #expect(response.json["id"] as? String == "alpha")
            #expect(response.json["name"] as? String == "Tenant alpha")
        }
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        var uri: String
        var headers: [String: String] = [:]
        var status: HTTPResponse.Status
        var title: String
        var testDescription: String { "\(uri) \(headers) → \(status.code)" }
    }

    @Test(arguments: [
        Refusal(uri: "/api/v1/tenant", status: .notFound, title: "No tenant selected"),
        Refusal(uri: "/t/nobody/api/v1/tenant", status: .notFound, title: "Unknown tenant"),
        Refusal(uri: "/t/gamma/api/v1/tenant", status: .forbidden, title: "Tenant suspended"),
        Refusal(uri: "/t/alpha/api/v1/tenant", headers: ["X-Tenant-ID": "beta"], status: .badRequest, title: "Conflicting tenants"),
        Refusal(uri: "/api/v1/tenant?tenant=beta", headers: ["X-Tenant-ID": "alpha"], status: .badRequest, title: "Conflicting tenants"),
        Refusal(uri: "/api/v1/tenant?tenant=alpha&tenant=beta", status: .badRequest, title: "Conflicting tenants"),
        Refusal(uri: "/t/ALPHA/api/v1/tenant", status: .badRequest, title: "Invalid tenant id"),
        Refusal(uri: "/t/%2e%2e/api/v1/tenant", status: .badRequest, title: "Invalid tenant id"),
        Refusal(uri: "/t/../api/v1/tenant", status: .badRequest, title: "Invalid tenant id"),
        Refusal(uri: "/api/v1/tenant?tenant=a%2Fb", status: .badRequest, title: "Invalid tenant id"),
        Refusal(uri: "/api/v1/tenant?tenant=alpha%00", status: .badRequest, title: "Invalid tenant id"),
        Refusal(uri: "/api/v1/tenant", headers: ["X-Tenant-ID": String(repeating: "a", count: 300)], status: .badRequest, title: "Invalid tenant id"),
    ])
    func refusesWithAProblem(_ refusal: Refusal) async throws {
        let workspace = try Self.workspace()
        let server = try await workspace.server()
        try await server.application.test(.router) { client in
            let response = try await client.execute(uri: refusal.uri, method: .get, headers: HTTPFields(refusal.headers))
            #expect(response.status == refusal.status)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(response.json["title"] as? String == refusal.title)
            #expect(response.json["status"] as? Int == Int(refusal.status.code))
            #expect(response.headers[HTTPField.Name("X-Tenant-ID")!] == nil)
        }
        // Nothing is created on disk for a refused request.
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.data).isEmpty)
    }

    @Test func slashInAPathIDMatchesNoRoute() async throws {
        let workspace = try Self.workspace()
        let server = try await workspace.server()
        try await server.application.test(.router) { client in
            let response = try await client.execute(uri: "/t/a/b/api/v1/tenant", method: .get)
            #expect(response.status == .notFound)
            #expect(response.headers[HTTPField.Name("X-Tenant-ID")!] == nil)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.data).isEmpty)
    }

    @Test func defaultTenantIsOptIn() async throws {
        let workspace = try Self.workspace()
        let server = try await workspace.server { $0.defaultTenant = TenantID("beta") }
        try await server.application.test(.router) { client in
            let plain = try await client.execute(uri: "/api/v1/tenant", method: .get)
            #expect(plain.json["id"] as? String == "beta")
            let named = try await client.execute(uri: "/t/alpha/api/v1/tenant", method: .get)
            #expect(named.json["id"] as? String == "alpha")
        }
        let missing = try await workspace.server { $0.defaultTenant = TenantID("nobody") }
        try await missing.application.test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/tenant", method: .get)
            #expect(response.status == .notFound)
            #expect(response.json["detail"] as? String == "The default tenant 'nobody' (--default-tenant) is not defined.")
        }
    }

    @Test func errorsOnPagesAreReadableHTML() async throws {
        let workspace = try Self.workspace()
        let server = try await workspace.server()
        try await server.application.test(.router) { client in
            let response = try await client.execute(uri: "/t/gamma/", method: .get)
            #expect(response.status == .forbidden)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            #expect(response.text.contains("<h1>Tenant suspended</h1>"))
            let login = try await client.execute(uri: "/t/alpha/login", method: .get)
            #expect(login.status == .ok)
            #expect(login.text.contains("<title>Sign in · Tenant alpha</title>"))
        }
    }

    @Test func errorsAfterResolutionCarryTheTenant() async throws {
        let workspace = try Self.workspace()
        let server = try await workspace.server()
        try await server.application.test(.router) { client in
            let response = try await client.execute(uri: "/t/alpha/api/v1/tenant", method: .post)
            #expect(response.status == .methodNotAllowed || response.status == .notFound)
            #expect(response.headers[.contentType] == "application/problem+json")
        }
    }

    // MARK: Host names, over a real socket

    @Test func resolvesByHostName() async throws {
        let workspace = try Self.workspace()
        let server = try await workspace.server()
        try await server.application.test(.live) { client in
            let port = try #require(client.port)
            func tenant(host: [String]) async throws -> (Int, String?) {
                let reply = try await RawHTTP.get(port: port, path: "/api/v1/tenant", headers: host.map { ("Host", $0) })
                return (reply.status, reply.headers["x-tenant-id"])
            }
            #expect(try await tenant(host: ["alpha-clinic.example.com"]) == (200, "alpha"))
            #expect(try await tenant(host: ["ALPHA-Clinic.Example.COM.:8080"]) == (200, "alpha"))
            #expect(try await tenant(host: ["beta.localhost:8080"]) == (200, "beta"))
            #expect(try await tenant(host: ["BETA.localhost."]) == (200, "beta"))
            #expect(try await tenant(host: ["gamma.localhost"]) == (403, nil))
            #expect(try await tenant(host: ["nobody.localhost"]) == (404, nil))
            // Not tenants: another domain around ours, an IP address, a nested name, two Host headers.
            #expect(try await tenant(host: ["beta.localhost.evil.com"]) == (404, nil))
            #expect(try await tenant(host: ["127.0.0.1:8080"]) == (404, nil))
            #expect(try await tenant(host: ["x.beta.localhost"]) == (404, nil))
            #expect(try await tenant(host: ["beta..localhost"]) == (404, nil))
            #expect(try await tenant(host: ["beta.localhost:80x"]) == (404, nil))
            #expect(try await tenant(host: ["[::1]:8080"]) == (404, nil))
            #expect(try await tenant(host: ["beta.localhost", "alpha-clinic.example.com"]) == (404, nil))
            // A host and a header naming different tenants conflict.
            let conflict = try await RawHTTP.get(port: port, path: "/api/v1/tenant", headers: [("Host", "beta.localhost"), ("X-Tenant-ID", "alpha")])
            #expect(conflict.status == 400)
        }
    }

    @Test func baseDomainIsConfigurable() async throws {
        let workspace = try Self.workspace()
        let server = try await workspace.server { $0.baseDomain = "clinics.example.org" }
        try await server.application.test(.live) { client in
            let port = try #require(client.port)
            #expect(try await RawHTTP.get(port: port, path: "/api/v1/tenant", headers: [("Host", "beta.clinics.example.org")]).status == 200)
            #expect(try await RawHTTP.get(port: port, path: "/api/v1/tenant", headers: [("Host", "beta.localhost")]).status == 404)
        }
    }
}
