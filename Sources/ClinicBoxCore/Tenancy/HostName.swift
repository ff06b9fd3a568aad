/// Host name rules shared by tenant files and request resolution.
package enum HostName {
    /// Lower-cased, without a trailing dot; nil for anything that is not a DNS name (IP addresses included).
    package static func normalized(_ text: some StringProtocol) -> String? {
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
    /// Runs on every request, so the common case (already lower-case, no trailing dot) is one pass, one copy.
    package static func fromHeader(_ value: String) -> String? {
        var host = Substring(value)
        if host.hasPrefix("[") { return nil }
        if let colon = host.utf8.lastIndex(of: UInt8(ascii: ":")) {
            let port = host.utf8[host.utf8.index(after: colon)...]
            guard !port.isEmpty, port.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
            host = host[..<colon]
        }
        let isSimple = host.utf8.allSatisfy { isLetterOrDigit($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
        guard isSimple, host.utf8.last != UInt8(ascii: ".") else { return normalized(host) }
        return isWellFormed(host.utf8) ? String(host) : nil
    }

    /// Label rules of `normalized(_:)` for text already known to hold only `a-z`, `0-9`, `-` and `.`.
    private static func isWellFormed(_ name: Substring.UTF8View) -> Bool {
        guard (1...253).contains(name.count) else { return false }
        var labelLength = 0
        var previous: UInt8 = UInt8(ascii: ".")
        var lastLabelIsDigits = true
        for byte in name {
            if byte == UInt8(ascii: ".") {
                guard labelLength > 0, previous != UInt8(ascii: "-") else { return false }
                labelLength = 0
                lastLabelIsDigits = true
            } else {
                if labelLength == 0, byte == UInt8(ascii: "-") { return false }
                labelLength += 1
                guard labelLength <= 63 else { return false }
                lastLabelIsDigits = lastLabelIsDigits && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            }
            previous = byte
        }
        return labelLength > 0 && previous != UInt8(ascii: "-") && !lastLabelIsDigits
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}

/// Loose but honest checks for contact details typed by an admin.
package enum ContactFormat {
    package static func isPhone(_ text: String) -> Bool {
        let allowed = Set("0123456789 +()-.")
        return text.allSatisfy { allowed.contains($0) } && text.filter(\.isNumber).count >= 5
    }

    package static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !text.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" }),
            !text.unicodeScalars.contains(where: { $0.needsEscapeInMessages || $0.properties.generalCategory == .format })
        else { return false }
        return HostName.normalized(parts[1]).map { $0.contains(".") } ?? false
    }
}

/// Branch codes: 1–32 characters of `a-z`, `0-9` and `-`.
package enum BranchCode {
    package static func isValid(_ text: String) -> Bool {
        (1...32).contains(text.utf8.count)
            && text.utf8.allSatisfy {
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                    || $0 == UInt8(ascii: "-")
            }
    }
}
