import Mustache

/// HTML escaping for the page templates: the same five characters swift-mustache's own `HTML` content type
/// escapes (`& < > " '`), decided byte by byte. Most values contain none of them and are returned as they are;
/// the library's version looks every character up in a dictionary, which was a sixth of a list page's time.
package struct FastHTMLEscaping: MustacheContentType {
    /// Registered under this name; `PageRenderer` starts every template with the pragma that selects it.
    package static let name = "CLINICBOX_HTML"
    package static let pragma = "{{% CONTENT_TYPE: \(name) }}"

    package func escapeText(_ text: String) -> String {
        let utf8 = text.utf8
        guard
            utf8.contains(where: {
                $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'")
            })
        else {
            return text
        }
        var escaped = [UInt8]()
        escaped.reserveCapacity(utf8.count + 16)
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "&"): escaped.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): escaped.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): escaped.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): escaped.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): escaped.append(contentsOf: "&#39;".utf8)
            default: escaped.append(byte)
            }
        }
        return String(decoding: escaped, as: UTF8.self)
    }

    package init() {}
}

// Text values render through `renderText` instead of the library's `String(describing:)` on `Any`, which goes
// through several dynamic casts per value.
extension String: @retroactive MustacheCustomRenderable {
    public var renderText: String { self }
    public var isNull: Bool { false }
}

extension Int64: @retroactive MustacheCustomRenderable {
    public var renderText: String { String(self) }
    public var isNull: Bool { false }
}
