import ClinicBox
import ClinicBoxCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// A signed-in API caller for one tenant: JSON in, JSON out, through the real router.
struct APIClient {
    let client: any TestClientProtocol
    let tenant: String
    let token: String

    static func signIn(
        _ client: any TestClientProtocol,
        tenant: String,
        email: String,
        password: String = TestUsers.password
    ) async throws -> APIClient {
        APIClient(client: client, tenant: tenant, token: try await TestUsers.token(client, tenant: tenant, email: email, password: password))
    }

    func get(_ path: String) async throws -> TestResponse {
        try await send(.get, path)
    }

    func post(_ path: String, _ body: [String: Any], headers: [String: String] = [:]) async throws -> TestResponse {
        try await send(.post, path, body, headers: headers)
    }

    func patch(_ path: String, _ body: [String: Any]) async throws -> TestResponse {
        try await send(.patch, path, body)
    }

    func delete(_ path: String) async throws -> TestResponse {
        try await send(.delete, path)
    }

    func send(
        _ method: HTTPRequest.Method,
        _ path: String,
        _ body: [String: Any]? = nil,
        headers: [String: String] = [:]
    ) async throws -> TestResponse {
        var fields = HTTPFields(headers)
        fields[.authorization] = "Bearer \(token)"
        var buffer: ByteBuffer?
        if let body {
            fields[.contentType] = "application/json"
            buffer = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body))
        }
        return try await client.execute(uri: "/t/\(tenant)/api/v1/\(path)", method: method, headers: fields, body: buffer)
    }

    /// POSTs and requires `201 Created`, returning the created record.
    func create(_ path: String, _ body: [String: Any], sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        let response = try await post(path, body)
        try #require(response.status == .created, "POST \(path) answered \(response.status): \(response.text)", sourceLocation: sourceLocation)
        return response.json
    }
}

extension TestResponse {
    /// `errors` of a problem answer: field → message.
    var fieldErrors: [String: String] { json["errors"] as? [String: String] ?? [:] }

    /// `items` of a list answer.
    var items: [[String: Any]] { json["items"] as? [[String: Any]] ?? [] }
}
