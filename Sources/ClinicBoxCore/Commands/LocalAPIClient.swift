import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOEmbedded
import Synchronization

/// The server's own JSON API, called in-process through its router: what `clinicbox demo` writes goes through the
/// same checks, audit rows and stored JSON as an integrator's requests, without a port or a network.
package struct LocalAPIClient: Sendable {
    package let responder: RouterResponder<AppRequestContext>
    package let tenant: TenantID
    package let logger: Logger
    package var token: String?

    package struct Failure: Error, CustomStringConvertible {
        package var status = 0
        package var description: String
    }

    /// Sends `body` as JSON to `/t/{tenant}/api/v1/{path}` and returns the JSON answer; anything but a 2xx is thrown
    /// with the problem's own words.
    @discardableResult
    package func send(_ method: HTTPRequest.Method, _ path: String, _ body: [String: Any]? = nil) async throws -> [String: Any] {
        try await send(
            method,
            path,
            bytes: try body.map { try JSONSerialization.data(withJSONObject: $0) } ?? Data(),
            contentType: "application/json"
        )
    }

    /// Files a document (`multipart/form-data`: the text parts, then the file) and returns the JSON answer.
    @discardableResult
    package func upload(_ path: String, fields: [String: String], fileName: String, file: [UInt8]) async throws -> [String: Any] {
        let boundary = "ClinicBoxDemo\(UInt32.random(in: 0...UInt32.max))"
        var body = Data()
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(fileName)\"\r\n\r\n".utf8))
        body.append(contentsOf: file)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        return try await send(.post, path, bytes: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }

    private func send(_ method: HTTPRequest.Method, _ path: String, bytes: Data, contentType: String) async throws -> [String: Any] {
        var headers: HTTPFields = [.contentType: contentType]
        if let token { headers[.authorization] = "Bearer \(token)" }
        headers[.contentLength] = String(bytes.count)
        let request = Request(
            head: HTTPRequest(method: method, scheme: "http", authority: "localhost", path: "/t/\(tenant)/api/v1/\(path)", headerFields: headers),
            body: RequestBody(buffer: ByteBuffer(bytes: bytes))
        )
        let context = AppRequestContext(source: ApplicationRequestContextSource(channel: NIOAsyncTestingChannel(), logger: logger))
        let response = try await responder.respond(to: request, context: context)
        let received = Received()
        try await response.body.write(Collector(received: received))
        let json = (try? JSONSerialization.jsonObject(with: Data(buffer: received.bytes.withLock { $0 }))) as? [String: Any] ?? [:]
        guard (200..<300).contains(response.status.code) else {
            let detail = [json["title"], json["detail"], json["errors"]].compactMap { $0.map { "\($0)" } }.joined(separator: ": ")
            throw Failure(status: response.status.code, description: "\(method) \(path) at \(tenant) answered \(response.status.code): \(detail)")
        }
        return json
    }

    /// The `id` of what a `POST` made.
    package func create(_ path: String, _ body: [String: Any]) async throws -> Int64 {
        let json = try await send(.post, path, body)
        guard let id = json["id"] as? Int64 ?? (json["id"] as? Int).map(Int64.init) else {
            throw Failure(description: "POST \(path) at \(tenant) answered without an id")
        }
        return id
    }

    private final class Received: Sendable {
        package let bytes = Mutex(ByteBuffer())
    }

    private struct Collector: ResponseBodyWriter {
        package let received: Received
        package mutating func write(_ part: ByteBuffer) async throws { _ = received.bytes.withLock { $0.writeImmutableBuffer(part) } }
        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }

    package init(responder: RouterResponder<AppRequestContext>, tenant: TenantID, logger: Logger, token: String? = nil) {
        self.responder = responder
        self.tenant = tenant
        self.logger = logger
        self.token = token
    }
}
