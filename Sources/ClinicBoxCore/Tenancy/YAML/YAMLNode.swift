/// A position in a YAML file, 1-based, as editors show it.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

/// A YAML node that remembers where it was written.
///
/// Tenant files use a small, safe subset of YAML: no anchors, aliases, tags or merge keys,
/// so this tree is always a plain tree the size of the file.
public indirect enum YAMLNode: Sendable {
    /// A scalar with its exact text; `isPlain` is false for quoted and block scalars.
    case scalar(String, isPlain: Bool, SourceLocation)
    case sequence([YAMLNode], SourceLocation)
    case mapping([(key: YAMLKey, value: YAMLNode)], SourceLocation)

    public var location: SourceLocation {
        switch self {
        case .scalar(_, _, let location), .sequence(_, let location), .mapping(_, let location): location
        }
    }

    /// What kind of value this is, in the words an error message uses.
    package var kindDescription: String {
        switch self {
        case .scalar(let text, let isPlain, _):
            if isPlain, text.isEmpty || text == "~" || text == "null" { "an empty value" } else { "the text \(text.echoed)" }
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }

    /// A scalar's text (quoted or not); nil for a list or a mapping.
    package var scalarText: String? {
        if case .scalar(let text, _, _) = self { return text }
        return nil
    }

    /// True for an empty plain scalar, `~` or `null`: a key written without a value.
    package var isNull: Bool {
        if case .scalar(let text, true, _) = self { return text.isEmpty || text == "~" || text == "null" }
        return false
    }
}

/// A mapping key: always a plain string in tenant files.
public struct YAMLKey: Sendable {
    public var name: String
    public var location: SourceLocation
}
