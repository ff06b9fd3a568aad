import Foundation

/// Lines and columns as editors count them, for a text whose positions libyaml gives as character offsets.
///
/// libyaml also ends a line at NEL (U+0085) and U+2028/U+2029, so its own line numbers drift by one after each
/// of them; editors end lines only at LF, CRLF and CR. Columns count Unicode scalars from 1, as libyaml's offsets do.
package struct TextPosition: Sendable {
    /// The scalar offset at which each line starts.
    private let lineStarts: [Int]
    private let text: String

    package init(_ text: String) {
        self.text = text
        var starts = [0]
        var offset = 0
        var afterCR = false
        for scalar in text.unicodeScalars {
            offset += 1
            switch scalar {
            case "\n" where afterCR: starts[starts.count - 1] = offset  // CRLF is one break
            case "\n", "\r": starts.append(offset)
            default: break
            }
            afterCR = scalar == "\r"
        }
        lineStarts = starts
    }

    /// The position of the character at scalar `offset` (0-based).
    package func location(ofScalar offset: Int) -> SourceLocation {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {  // the last line start at or before `offset`
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return SourceLocation(line: low + 1, column: offset - lineStarts[low] + 1)
    }

    /// The position of the character that starts at UTF-8 byte `offset`.
    package func location(ofByte offset: Int) -> SourceLocation {
        let utf8 = text.utf8
        let end = utf8.index(utf8.startIndex, offsetBy: min(max(0, offset), utf8.count))
        return location(ofScalar: text.unicodeScalars[..<end].count)
    }

    package enum Decoded {
        case text(String)
        /// Where the first byte that is not UTF-8 sits.
        case invalid(SourceLocation)
    }

    /// The bytes as UTF-8 text, or the position of the first invalid byte.
    package static func decodeUTF8(_ data: Data) -> Decoded {
        if let text = String(validating: data, as: UTF8.self) { return .text(text) }
        var bytes = data.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var validBytes = 0
        loop: while true {
            switch parser.parseScalar(from: &bytes) {
            case .valid(let encoded): validBytes += encoded.count
            case .error, .emptyInput: break loop
            }
        }
        let valid = String(decoding: data.prefix(validBytes), as: UTF8.self)
        return .invalid(TextPosition(valid).location(ofScalar: valid.unicodeScalars.count))
    }
}
