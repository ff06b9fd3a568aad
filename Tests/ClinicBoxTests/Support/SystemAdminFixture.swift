import ClinicBox
import ClinicBoxCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// System administrators (`/api/system/…`): a served workspace with two of them, and their tokens.
enum SystemAdminFixture {
    static let password = "system passphrase here"

    /// A served workspace with one tenant and two system administrators.
    static func server() async throws -> (TestWorkspace, ClinicBoxServer, SystemAdmins) {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha")
        let server = try await workspace.server()
        let admins = try SystemAdmins.open(dataFolder: workspace.data)
        try await admins.add(email: "root@example.com", password: password)
        try await admins.add(email: "other@example.com", password: password)
        return (workspace, server, admins)
    }

    static func signIn(
        _ client: some TestClientProtocol,
        _ email: String,
        password: String = SystemAdminFixture.password
    ) async throws -> TestResponse {
        let body = ByteBuffer(string: #"{"email":"\#(email)","password":"\#(password)"}"#)
        return try await client.execute(uri: "/api/system/token", method: .post, headers: [.contentType: "application/json"], body: body)
    }

    static func token(_ client: some TestClientProtocol, _ email: String) async throws -> String {
        let response = try await signIn(client, email)
        return try #require(response.json["token"] as? String, "\(response.text)")
    }

    static func call(_ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, _ token: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: method, headers: [.authorization: "Bearer \(token)"])
    }
}
