/// A validated tenant id: 2–63 characters of `a-z`, `0-9` and `-`, starting with a letter.
///
/// The only way to name a tenant's files, so a path can never come from unchecked request text.
public struct TenantID: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public let rawValue: String

    public init?(_ text: some StringProtocol) {
        guard Self.isValid(text) else { return nil }
        self.rawValue = String(text)
    }

    public static let rule = "2–63 characters of a-z, 0-9 and '-', starting with a letter"

    package static func isValid(_ text: some StringProtocol) -> Bool {
        let bytes = text.utf8
        guard (2...63).contains(bytes.count), let first = bytes.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) else {
            return false
        }
        return bytes.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-")
        }
    }

    public var description: String { rawValue }
    public static func < (lhs: TenantID, rhs: TenantID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = TenantID(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a tenant id"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
