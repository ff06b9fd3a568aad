import Hummingbird

extension Request {
    /// The token of an `Authorization: Bearer …` header, or nil when there is none.
    package var bearerToken: String? {
        guard let header = headers[.authorization], header.hasPrefix("Bearer ") else { return nil }
        return String(header.dropFirst(7)).trimmingSpaces
    }
}

extension String {
    /// Compares secrets without leaking, through timing, how many leading bytes matched.
    package func equalsInConstantTime(_ other: String) -> Bool {
        let (x, y) = (Array(utf8), Array(other.utf8))
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
