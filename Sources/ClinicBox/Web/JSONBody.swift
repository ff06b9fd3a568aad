import Foundation
import Hummingbird

/// A JSON object from a request body, read strictly: unknown fields and wrong types are field-level errors.
struct JSONBody {
    private let object: [String: Any]

    static func read(_ request: Request, context: some RequestContext, allowed: Set<String>) async throws -> JSONBody {
        let buffer = try await request.body.collect(upTo: 64 * 1024)
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any] else {
            throw Problem(.badRequest, title: "Invalid JSON", detail: "The body must be a JSON object.")
        }
        let unknown = Set(object.keys).subtracting(allowed)
        guard unknown.isEmpty else {
            throw Problem(
                .unprocessableContent, title: "Unknown fields", detail: "Allowed fields: \(allowed.sorted().joined(separator: ", ")).",
                fieldErrors: Dictionary(uniqueKeysWithValues: unknown.map { ($0, "unknown field\(DidYouMean.hint(for: $0, among: allowed))") })
            )
        }
        return JSONBody(object: object)
    }

    /// A required string field.
    func string(_ name: String) throws -> String {
        guard let value = object[name] as? String, !value.isEmpty else {
            throw Problem(.unprocessableContent, title: "Invalid field", detail: "\(name) is required.", fieldErrors: [name: "must be a non-empty string"])
        }
        return value
    }
}
