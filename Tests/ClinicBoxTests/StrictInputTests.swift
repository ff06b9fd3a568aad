import ClinicBox
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The API reads only what it documents: JSON bodies as `application/json` and exactly RFC 8259, list parameters
/// of the right kind and length, each once.
@Suite struct StrictInputTests {
    static func post(_ client: some TestClientProtocol, _ path: String, _ body: String, contentType: String?, token: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let contentType { headers[.contentType] = contentType }
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    @Test func theAPIReadsOnlyApplicationJSON() async throws {
        let workspace = try TestWorkspace()
        let server = try await AuthAPITests.server(workspace)
        try await server.application.test(.router) { client in
            let credentials = #"{"email": "boss@example.com", "password": "\#(AuthAPITests.password)"}"#
            // What a browser form on another site can send without a preflight: refused before anything is read.
            for contentType in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", nil] {
                let refused = try await Self.post(client, "/t/alpha/api/v1/auth/token", credentials, contentType: contentType)
                #expect(refused.status == .unsupportedMediaType, "\(contentType ?? "none")")
                #expect(refused.headers[.contentType] == "application/problem+json")
                #expect((refused.json["detail"] as? String)?.hasPrefix("Send the body as JSON with Content-Type: application/json") == true)
            }
            let token = try #require(try await Self.post(client, "/t/alpha/api/v1/auth/token", credentials, contentType: "Application/JSON; charset=utf-8").json["token"] as? String)
            let patient = try await Self.post(client, "/t/alpha/api/v1/patients", #"{"first_name": "Ada", "last_name": "Lovelace"}"#, contentType: "text/plain", token: token)
            #expect(patient.status == .unsupportedMediaType)
        }
    }

    @Test func duplicateKeysAndTrailingCommasAreRefused() async throws {
        let workspace = try TestWorkspace()
        let server = try await AuthAPITests.server(workspace)
        try await server.application.test(.router) { client in
            let twoEmails = #"{"email": "desk@example.com", "email": "boss@example.com", "password": "\#(AuthAPITests.password)"}"#
            let duplicate = try await Self.post(client, "/t/alpha/api/v1/auth/token", twoEmails, contentType: "application/json")
            #expect(duplicate.status == .badRequest && duplicate.json["title"] as? String == "Invalid JSON")
            #expect(duplicate.json["detail"] as? String == #"The body is not valid JSON: the key "email" appears twice in one object (line 1, column 31)."#)
            for body in [
                #"{"email": "boss@example.com", "password": "x",}"#, #"{"email": ["a",], "password": "x"}"#, #"{"email": "a" /* c */}"#,
                #"{"n": 01}"#, #"{"n": NaN}"#, "{\"t\": \"a\u{01}b\"}", #"{"t": "\ud800"}"#, #"{"a": 1} x"#,
            ] {
                let refused = try await Self.post(client, "/t/alpha/api/v1/auth/token", body, contentType: "application/json")
                #expect(refused.status == .badRequest, "\(body)")
            }
            let escaped = #"{"email": "boss@example.com", "password": "\#(AuthAPITests.password.replacingOccurrences(of: " ", with: "\\u0020"))"}"#
            #expect(try await Self.post(client, "/t/alpha/api/v1/auth/token", escaped, contentType: "application/json").status == .ok)
        }
    }
}
