import Foundation

/// Compact JSON with snake_case keys, the one encoding every API answer uses.
package enum JSON {
    package static func encode(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding our own plain structs cannot fail.
        return try! encoder.encode(value)
    }
}
