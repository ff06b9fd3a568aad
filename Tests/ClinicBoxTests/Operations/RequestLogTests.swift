import ClinicBox
import ClinicBoxCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

/// One log line per request, with what an operator needs and nothing a patient or a password would regret.
@Suite struct RequestLogTests {
    @Test func eachRequestLogsTenantUserRouteStatusAndNoSecrets() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha")
        let captured = CapturedLog()
        let server = try await workspace.server { $0.logger = captured.logger() }
        try await server.addUser("desk@example.com", role: .staff, password: TestUsers.password, to: ["alpha"])
        let token = try await server.application.test(.router) { client in
            let desk = try await APIClient.signIn(client, tenant: "alpha", email: "desk@example.com")
            _ = try await desk.create("patients", ["first_name": "Ada", "last_name": "Lovelace"])
            _ = try await desk.get("patients?q=Lovelace")
            return desk.token
        }
        let requests = captured.all.filter { $0.hasPrefix("request ") }
        #expect(
            requests.contains {
                $0.contains("method=POST") && $0.contains("route=/t/{tenantID}/api/v1/auth/token") && $0.contains("status=200")
                    && $0.contains("tenant=alpha")
            }
        )
        #expect(
            requests.contains {
                $0.contains("route=/t/{tenantID}/api/v1/patients") && $0.contains("status=201") && $0.contains("user=1")
                    && $0.contains("hb.request.id=")
            }
        )
        let everything = captured.all.joined(separator: "\n")
        for secret in [TestUsers.password, token, "Lovelace", "desk@example.com"] { #expect(!everything.contains(secret), "the log holds \(secret)") }
    }

    @Test func jsonLinesFromTheRealServerAndACleanStopOnSIGTERM() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha")
        let (server, port) = try await ClinicBoxBinary.serve(workspace, ["--log-format", "json"])
        defer { server.terminate() }
        let reply = try await RawHTTP.get(
            port: port,
            path: "/t/alpha/api/v1/patients?q=Lovelace",
            headers: [("Host", "localhost"), ("Authorization", "Bearer cbx_secret_token"), ("Cookie", "cb_session=secret-cookie")]
        )
        #expect(reply.status == 401)
        let errors = await ClinicBoxBinary.stop(server)
        #expect(server.terminationStatus == 0)
        let lines = errors.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String] }
        #expect(lines.count == errors.split(separator: "\n").count, "every line is JSON: \(errors)")
        let request = try #require(lines.first { $0["route"] == "/t/{tenantID}/api/v1/patients" })
        #expect(
            request["status"] == "401" && request["tenant"] == "alpha" && request["method"] == "GET" && request["request_id"] != nil
                && request["ms"] != nil
        )
        #expect(!errors.contains("Lovelace") && !errors.contains("secret"))
        #expect(lines.last?["message"]?.contains("stopped") == true)
    }
}
