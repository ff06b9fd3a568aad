/// How problem messages repeat what an admin wrote: short, on one line, and unable to fake another line.
///
/// A tenant file can hold anything, including a 500,000-character value or a key with a newline and
/// `tenants.d/other.yaml:1:1: forged` after it. Messages go to terminals, logs and CI annotations, so every
/// echoed value is cut and every invisible or line-breaking character is written as an escape.
extension String {
    /// The longest echo of a value, in characters, before it is cut with an ellipsis.
    package static let echoLimit = 60

    /// The text in single quotes, escaped, and cut to `echoLimit` characters: `'Smile Dental'`, `'a\nb'`.
    package var echoed: String { "'\(bounded)'" }

    /// The text escaped and cut to `echoLimit` characters, without quotes.
    package var bounded: String {
        let escaped = escapingControlCharacters
        return escaped.count > Self.echoLimit ? escaped.prefix(Self.echoLimit) + "…" : escaped
    }

    /// Line breaks, tabs, other C0 and C1 control characters, DEL, and the invisible characters that reorder or
    /// hide text (BOM, bidi controls, Unicode line separators) written as `\n`, `\t`, `\r` or `\u001B`.
    package var escapingControlCharacters: String {
        guard unicodeScalars.contains(where: \.needsEscapeInMessages) else { return self }
        var result = ""
        for scalar in unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.needsEscapeInMessages:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

extension Unicode.Scalar {
    /// C0 and C1 control characters and DEL: never meaningful inside a one-line text field.
    package var isControlCharacter: Bool { value < 0x20 || (0x7F...0x9F).contains(value) }

    /// Control characters, line and paragraph separators and the byte order mark: in a tenant file's text
    /// they are always a mistake or a trick (`A\e[2J` clears the terminal that shows the log).
    package var isNeverInText: Bool { isControlCharacter || value == 0xFEFF || value == 0x2028 || value == 0x2029 }

    /// Characters a message must not print as they are; bidi controls too, which can make a line read backwards.
    package var needsEscapeInMessages: Bool {
        isNeverInText || value == 0x200B || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
    }
}
