/// Host name rules shared by tenant files and request resolution.
enum HostName {
    /// Lower-cased, without a trailing dot; nil for anything that is not a DNS name (IP addresses included).
    static func normalized(_ text: some StringProtocol) -> String? {
        var name = text.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        guard (1...253).contains(name.utf8.count) else { return nil }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        for label in labels {
            let bytes = label.utf8
            guard (1...63).contains(bytes.count), bytes.first != UInt8(ascii: "-"), bytes.last != UInt8(ascii: "-"),
                bytes.allSatisfy({ isLetterOrDigit($0) || $0 == UInt8(ascii: "-") })
            else { return nil }
        }
        // An all-digit last label means an IPv4 address (or junk), never a tenant's name.
        if let last = labels.last, last.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) { return nil }
        return name
    }

    /// The host part of a `Host` header value, without its port; nil for bracketed IPv6 literals or junk.
    static func fromHeader(_ value: some StringProtocol) -> String? {
        var host = Substring(value)
        if host.hasPrefix("[") { return nil }
        if let colon = host.lastIndex(of: ":") {
            let port = host[host.index(after: colon)...]
            guard !port.isEmpty, port.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
            host = host[..<colon]
        }
        return normalized(host)
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}

/// Loose but honest checks for contact details typed by an admin.
enum ContactFormat {
    static func isPhone(_ text: String) -> Bool {
        let allowed = Set("0123456789 +()-.")
        return text.allSatisfy { allowed.contains($0) } && text.filter(\.isNumber).count >= 5
    }

    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !text.contains(where: { $0 == " " || $0 == "<" || $0 == ">" }) else { return false }
        return HostName.normalized(parts[1]).map { $0.contains(".") } ?? false
    }
}

/// Branch codes: 1–32 characters of `a-z`, `0-9` and `-`.
enum BranchCode {
    static func isValid(_ text: String) -> Bool {
        (1...32).contains(text.utf8.count)
            && text.utf8.allSatisfy {
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "-")
            }
    }
}
