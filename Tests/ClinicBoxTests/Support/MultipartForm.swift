import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting

/// A `multipart/form-data` body written the way browsers and curl write one, for upload tests.
struct MultipartForm {
    var boundary = "----ClinicBoxTest\(UInt32.random(in: 0...UInt32.max))"
    private var body: [UInt8] = []

    /// Sent exactly as given instead (a body no browser writes), with `boundary` in the Content-Type header.
    private var raw: [UInt8]?

    init(_ fields: [(String, String)] = []) {
        for (name, value) in fields { add(name, value) }
    }

    init(raw: [UInt8], boundary: String) {
        self.boundary = boundary
        self.raw = raw
    }

    mutating func add(_ name: String, _ value: String) {
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
    }

    mutating func prepend(_ name: String, _ value: String) {
        body = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8) + body
    }

    mutating func addFile(_ name: String = "file", fileName: String, type: String = "application/octet-stream", bytes: [UInt8]) {
        body += Array(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(fileName)\"\r\nContent-Type: \(type)\r\n\r\n".utf8
        )
        body += bytes + Array("\r\n".utf8)
    }

    var contentType: String { "multipart/form-data; boundary=\(boundary)" }
    var buffer: ByteBuffer { ByteBuffer(bytes: raw ?? body + Array("--\(boundary)--\r\n".utf8)) }

    /// Small real files: a 1×1 PNG, a minimal PDF, and the first bytes of a Linux program.
    static let png: [UInt8] = Array(
        Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")!
    )
    static let pdf: [UInt8] = Array(
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n".utf8
    )
    static let program: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00] + Array(repeating: 0, count: 56)
}

extension APIClient {
    /// POSTs `form` as `multipart/form-data`, with an `Idempotency-Key` when given.
    func upload(_ path: String, _ form: MultipartForm, idempotencyKey: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.authorization: "Bearer \(token)", .contentType: form.contentType]
        if let idempotencyKey { headers[HTTPField.Name("Idempotency-Key")!] = idempotencyKey }
        return try await client.execute(uri: "/t/\(tenant)/api/v1/\(path)", method: .post, headers: headers, body: form.buffer)
    }
}
