import Crypto
import Foundation
import Hummingbird
import NIOCore

/// One file as a browser form or an integrator sends it: `multipart/form-data` with the file in the part `file`
/// and text parts beside it (a document's `title`, and on pages `csrf_token`). The body is read up to a limit, so an
/// oversized upload is refused (with the caller's `tooLarge`) before it is held in memory.
package struct FileUpload {
    package private(set) var bytes: [UInt8]
    /// The file's SHA-256 in hex, worked out once: it is stored and audited with the document and compared on retries.
    package private(set) var sha256 = ""
    /// The name the file had on the sender's computer, kept for the download's file name; never trusted for its type.
    package var fileName: String?
    /// The other parts, by name.
    package var values: [String: String]

    /// Room for the text parts and the multipart framing around the file.
    package static let framingBytes = 64 * 1024

    package static func read(_ request: Request, maxMB: Int, tooLarge: Problem) async throws -> FileUpload {
        let limit = maxMB * 1024 * 1024
        guard let boundary = boundary(request.headers[.contentType]) else {
            throw Problem(
                .unsupportedMediaType,
                title: "Unsupported media type",
                detail: "Send the file as multipart/form-data, in a part named file."
            )
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit + framingBytes { throw tooLarge }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limit + framingBytes)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw tooLarge
        }
        let parts = try parse(body, boundary: boundary)
        var upload = FileUpload(bytes: [], fileName: nil, values: [:])
        var seen: Set<String> = []
        for part in parts {
            guard let disposition = part.header("Content-Disposition"), let name = parameter("name", in: disposition) else {
                throw Problem(
                    .badRequest,
                    title: "Unreadable upload",
                    detail: "Every part of the upload needs a Content-Disposition header with a name."
                )
            }
            guard seen.insert(name).inserted else {
                throw Problem(
                    .unprocessableContent,
                    title: "Invalid fields",
                    detail: "Send each field once.",
                    fieldErrors: [name: "is sent more than once"]
                )
            }
            if name == "file" {
                upload.bytes = Array(part.body)
                upload.fileName = parameter("filename", in: disposition).flatMap { $0.isEmpty ? nil : $0 }
            } else {
                upload.values[name] = String(decoding: part.body, as: UTF8.self)
            }
        }
        guard seen.contains("file") else {
            throw Problem(
                .unprocessableContent,
                title: "Invalid fields",
                detail: "Attach the file in a part named file.",
                fieldErrors: ["file": "is required"]
            )
        }
        if upload.bytes.count > limit { throw tooLarge }
        upload.sha256 = SHA256.hash(data: upload.bytes).map { String(format: "%02x", $0) }.joined()
        return upload
    }

    /// The text parts as `RequestFields` (a number or `true`/`false` typed as such), without `ignoring`, with only `allowed`.
    package func fields(allowed: Set<String>, ignoring: Set<String> = []) throws -> RequestFields {
        var object: [String: JSONValue] = [:]
        for (name, value) in values where !ignoring.contains(name) {
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty {
                object[name] = .null
            } else if trimmed == "true" || trimmed == "false" {
                object[name] = .bool(trimmed == "true")
            } else if let number = Int64(trimmed) {
                object[name] = .integer(number)
            } else {
                object[name] = .string(value)
            }
        }
        let fields = RequestFields(object: object)
        try fields.refuseUnknown(allowed: allowed.union(["file"]))
        return fields
    }

    /// What an `Idempotency-Key` retry is compared by: the text parts as sent and the file's SHA-256, so a retry of
    /// the same upload files nothing twice and the same key with another file is refused.
    package var fingerprint: RequestFields {
        var object = values.mapValues(JSONValue.string)
        object["file"] = .string(sha256)
        object["file_name"] = fileName.map(JSONValue.string) ?? .null
        return RequestFields(object: object)
    }

    private static func parse(_ body: ByteBuffer, boundary: String) throws -> [MultipartFormData.Part] {
        let parts: [MultipartFormData.Part]
        do {
            parts = try MultipartFormData.parts(of: Array(buffer: body), boundary: boundary)
        } catch {
            throw Problem(
                .badRequest,
                title: "Unreadable upload",
                detail: "The multipart/form-data body cannot be read: \(error.reason). Send it as a browser form would."
            )
        }
        guard !parts.isEmpty else {
            throw Problem(
                .badRequest,
                title: "Unreadable upload",
                detail: "The multipart/form-data body holds no part; its boundary must match the Content-Type header's."
            )
        }
        return parts
    }

    /// The `boundary` of a `multipart/form-data` content type, quoted or not.
    package static func boundary(_ contentType: String?) -> String? {
        guard let contentType else { return nil }
        let pieces = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard pieces.first?.lowercased() == "multipart/form-data" else { return nil }
        return parameter("boundary", in: contentType).flatMap { $0.isEmpty || $0.count > 70 ? nil : $0 }
    }

    /// A parameter of a header value (`form-data; name="file"; filename="a;b.pdf"`), quotes and `\` escapes undone.
    package static func parameter(_ wanted: String, in header: String) -> String? {
        var index = header.startIndex
        while index < header.endIndex {
            // Skip to the next parameter, past the first value or the last one's end.
            guard let semicolon = header[index...].firstIndex(of: ";") else { return nil }
            index = header.index(after: semicolon)
            let rest = header[index...].drop { $0 == " " }
            guard let equals = rest.firstIndex(of: "=") else { return nil }
            let name = rest[rest.startIndex..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var cursor = rest.index(after: equals)
            var value = ""
            if cursor < header.endIndex, header[cursor] == "\"" {
                cursor = header.index(after: cursor)
                while cursor < header.endIndex, header[cursor] != "\"" {
                    if header[cursor] == "\\", header.index(after: cursor) < header.endIndex { cursor = header.index(after: cursor) }
                    value.append(header[cursor])
                    cursor = header.index(after: cursor)
                }
                if cursor < header.endIndex { cursor = header.index(after: cursor) }
            } else {
                while cursor < header.endIndex, header[cursor] != ";" {
                    value.append(header[cursor])
                    cursor = header.index(after: cursor)
                }
                value = value.trimmingCharacters(in: .whitespaces)
            }
            if name == wanted { return value }
            index = cursor
        }
        return nil
    }
}
