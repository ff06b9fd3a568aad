import ClinicBox
import ClinicBoxCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `limits.requests_per_minute`: a tenant over its limit hears `429` with `Retry-After`; no other tenant does.
@Suite struct RateLimitTests {
    @Test func aTenantOverItsLimitGets429WithRetryAfterAndOthersAreServed() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha", extra: "limits:\n  requests_per_minute: 5")
        try workspace.writeTenant("beta")
        let server = try await workspace.server()
        try await server.application.test(.router) { client in
            for _ in 0..<5 {
                #expect(try await client.execute(uri: "/t/alpha/api/v1/tenant", method: .get).status == .ok)
            }
            let refused = try await client.execute(uri: "/t/alpha/api/v1/tenant", method: .get)
            #expect(refused.status == .tooManyRequests && refused.headers[.contentType] == "application/problem+json")
            // 5 a minute refills one request every 12 seconds (less the time the five took, on a busy machine).
            #expect(refused.headers[.retryAfter].flatMap(Int.init).map { (1...12).contains($0) } == true)
            #expect(refused.headers[.init("X-Tenant-ID")!] == "alpha")
            #expect(
                refused.json["detail"] as? String
                    == "Tenant 'alpha' allows 5 requests a minute (limits.requests_per_minute in its tenant file); try again in \(refused.headers[.retryAfter] ?? "") s."
            )
            // A person in a browser gets the same as a page.
            let page = try await client.execute(uri: "/t/alpha/login", method: .get)
            #expect(
                page.status == .tooManyRequests && page.headers[.contentType] == "text/html; charset=utf-8" && page.text.contains("requests a minute")
            )
            // Other tenants, and the server's own endpoints, are not held to alpha's limit.
            for _ in 0..<20 {
                #expect(try await client.execute(uri: "/t/beta/api/v1/tenant", method: .get).status == .ok)
            }
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)

            // Raising the limit in the file takes effect on reload.
            try workspace.writeTenant("alpha", extra: "limits:\n  requests_per_minute: 600")
            await server.reloader.reload()
            try await Task.sleep(for: .milliseconds(150))  // 600 a minute refills one every 100 ms
            #expect(try await client.execute(uri: "/t/alpha/api/v1/tenant", method: .get).status == .ok)
        }
    }
}
