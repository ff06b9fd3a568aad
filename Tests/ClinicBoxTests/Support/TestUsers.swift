import ClinicBox
import ClinicBoxCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The users most suites sign in as, their password, and signing in through the API.
enum TestUsers {
    static let password = "correct horse battery"

    /// Tenants alpha and beta, each with an admin and a staff member of the same emails.
    static func server(_ workspace: TestWorkspace, configure: (inout AppConfiguration) -> Void = { _ in }) async throws -> ClinicBoxServer {
        try workspace.writeTenant("alpha")
        try workspace.writeTenant("beta")
        let server = try await workspace.server(configure)
        try await server.addUser("boss@example.com", role: .admin, password: password, to: ["alpha", "beta"])
        try await server.addUser("desk@example.com", role: .staff, password: password, to: ["alpha", "beta"])
        return server
    }

    static func signIn(
        _ client: some TestClientProtocol,
        tenant: String = "alpha",
        email: String,
        password: String = password
    ) async throws -> TestResponse {
        let body = try JSONSerialization.data(withJSONObject: ["email": email, "password": password])
        return try await client.execute(
            uri: "/t/\(tenant)/api/v1/auth/token",
            method: .post,
            headers: [.contentType: "application/json"],
            body: ByteBuffer(bytes: body)
        )
    }

    static func token(_ client: some TestClientProtocol, tenant: String = "alpha", email: String, password: String = password) async throws -> String
    {
        let response = try await signIn(client, tenant: tenant, email: email, password: password)
        return try #require(response.json["token"] as? String, "sign-in failed: \(response.text)")
    }

    static func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }

    /// A bearer token and a JSON body.
    static func bearerJSON(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)", .contentType: "application/json"] }
}
