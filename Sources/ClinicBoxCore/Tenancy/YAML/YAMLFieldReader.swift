/// Reads typed values out of `YAMLNode`s, collecting every problem with its location instead of stopping at the first.
///
/// The rules are YAML 1.2-strict on purpose: text is kept exactly as written (`0123`, `NO`, `1e3` stay text),
/// while numbers and booleans accept only one spelling, so YAML 1.1's octal, sexagesimal and yes/no readings
/// are errors instead of silent conversions.
package struct YAMLFieldReader {
    package private(set) var problems: [(location: SourceLocation, message: String)] = []

    package mutating func report(_ location: SourceLocation, _ message: String) {
        problems.append((location, message))
    }

    /// The fields of a mapping by key; unknown keys are reported with a did-you-mean.
    package mutating func fields(of node: YAMLNode, name: String, allowed: [String]) -> [String: (key: YAMLKey, value: YAMLNode)]? {
        guard case .mapping(let pairs, _) = node else {
            report(node.location, "\(name) must be a mapping of \(allowed.joined(separator: ", ")), not \(node.kindDescription)")
            return nil
        }
        var fields: [String: (key: YAMLKey, value: YAMLNode)] = [:]
        for pair in pairs {
            guard allowed.contains(pair.key.name) else {
                let prefix = name == "the file" ? "" : "\(name): "
                report(
                    pair.key.location,
                    "\(prefix)unknown key \(pair.key.name.echoed)\(DidYouMean.hint(for: pair.key.name, among: allowed)); allowed keys: \(allowed.joined(separator: ", "))"
                )
                continue
            }
            fields[pair.key.name] = pair
        }
        return fields
    }

    /// The fields whose text may hold line breaks; every other text is one line.
    package static let multiLineFields = ["contact.address", "branch address"]

    /// Non-empty text exactly as written, whatever its quoting, without control characters (line breaks are
    /// allowed only in `multiLineFields`).
    package mutating func text(_ node: YAMLNode, field: String, maxLength: Int = 200) -> String? {
        guard case .scalar(let text, _, let location) = node, !node.isNull else {
            report(node.location, "\(field) must be text, not \(node.kindDescription)")
            return nil
        }
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty else {
            report(location, "\(field) must not be empty")
            return nil
        }
        guard trimmed.count <= maxLength else {
            report(location, "\(field) is \(trimmed.count) characters long; at most \(maxLength) are allowed")
            return nil
        }
        let allowsLineBreaks = Self.multiLineFields.contains(field)
        if let bad = trimmed.unicodeScalars.first(where: { $0.isNeverInText && !(allowsLineBreaks && $0 == "\n") }) {
            let lineBreaks = bad == "\n" ? " (line breaks are allowed only in \(Self.multiLineFields.joined(separator: " and ")))" : ""
            report(
                location,
                "\(field) holds the control character \(String(bad).escapingControlCharacters), which text may not contain\(lineBreaks); remove it"
            )
            return nil
        }
        return trimmed
    }

    /// A whole number written in plain decimal digits, within `range`.
    package mutating func integer(_ node: YAMLNode, field: String, range: ClosedRange<Int>) -> Int? {
        let allowed = "write a whole number from \(range.lowerBound) to \(range.upperBound)"
        guard case .scalar(let text, let isPlain, let location) = node, !node.isNull else {
            report(node.location, "\(field) must be a number, not \(node.kindDescription); \(allowed)")
            return nil
        }
        guard isPlain else {
            report(location, "\(field) must be a number, not quoted text; remove the quotes and \(allowed)")
            return nil
        }
        guard !text.isEmpty, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            let why = text.contains(":") ? " (YAML 1.1 would read it as minutes:seconds)" : ""
            report(location, "\(field): \(text.echoed) is not a whole number\(why); \(allowed)")
            return nil
        }
        guard text == "0" || !text.hasPrefix("0") else {
            report(location, "\(field): \(text.echoed) has a leading zero (YAML 1.1 would read it as octal); \(allowed) without leading zeros")
            return nil
        }
        guard let value = Int(text), range.contains(value) else {
            report(location, "\(field): \(text) is out of range; \(allowed)")
            return nil
        }
        return value
    }

    /// `true` or `false`, nothing else.
    package mutating func boolean(_ node: YAMLNode, field: String) -> Bool? {
        if case .scalar(let text, true, _) = node {
            if text == "true" { return true }
            if text == "false" { return false }
        }
        let written = if case .scalar(let text, _, _) = node { "\(text.echoed)" } else { node.kindDescription }
        report(node.location, "\(field) must be true or false, not \(written)")
        return nil
    }

    /// The items of a list.
    package mutating func list(_ node: YAMLNode, field: String) -> [YAMLNode]? {
        guard case .sequence(let items, _) = node else {
            report(node.location, "\(field) must be a list (one '- item' per line), not \(node.kindDescription)")
            return nil
        }
        return items
    }
}
