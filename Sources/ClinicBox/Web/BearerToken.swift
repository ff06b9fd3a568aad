import Hummingbird

extension Request {
    /// The token of an `Authorization: Bearer …` header, or nil when there is none.
    var bearerToken: String? {
        guard let header = headers[.authorization], header.hasPrefix("Bearer ") else { return nil }
        return String(header.dropFirst(7)).trimmingSpaces
    }
}
