import Foundation

/// Where a sign-in sends the browser: the page it came for when that is one of this tenant's own pages, else
/// the dashboard. The path is percent-decoded and its `.` and `..` segments resolved (RFC 3986, 5.2.4) before the
/// check, because a browser resolves them after it: `/t/alpha/../beta/` would otherwise pass as alpha's.
package enum SignInDestination {
    package static func resolve(_ next: String?, basePath: String) -> String {
        let home = basePath + "/"
        guard let next, let path = normalized(next), path.hasPrefix(home), !path.split(separator: "/").contains("login") else { return home }
        return path
    }

    /// An absolute path with dot segments resolved, percent-encoded again; nil for anything else (a scheme, `//`,
    /// empty segments, backslashes, control characters, bad escapes). A query is kept only when it needs no encoding.
    package static func normalized(_ text: String) -> String? {
        let (rawPath, query) = text.firstIndex(of: "?").map { (String(text[..<$0]), String(text[text.index(after: $0)...])) } ?? (text, nil)
        guard let path = rawPath.removingPercentEncoding, path.hasPrefix("/"), !path.contains("//"),
            !path.contains("\\"), !path.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { return nil }
        var segments: [Substring] = []
        let parts = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        for (index, segment) in parts.enumerated() {
            switch segment {
            case ".": if index == parts.count - 1 { segments.append("") }
            case "..":
                _ = segments.popLast()
                if index == parts.count - 1 { segments.append("") }
            default: segments.append(segment)
            }
        }
        let allowed = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/;%?#"))
        let encoded = "/" + segments.map { $0.addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }.joined(separator: "/")
        if let query, !query.isEmpty, query.unicodeScalars.allSatisfy({ CharacterSet.urlQueryAllowed.contains($0) && $0 != "#" }) {
            return encoded + "?" + query
        }
        return encoded
    }
}
