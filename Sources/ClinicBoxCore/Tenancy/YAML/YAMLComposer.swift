import CYaml

/// A YAML problem found before any tenant field is read: bad syntax or a YAML feature tenant files refuse.
public struct YAMLSyntaxError: Error, Sendable {
    public var location: SourceLocation
    public var message: String
}

/// Builds a `YAMLNode` tree from YAML text, driving libyaml's event parser directly.
///
/// Working at event level (rather than through Yams' composer) lets us refuse anchors, aliases, tags and
/// merge keys before anything is expanded or hashed, so an alias bomb costs nothing, and report each
/// duplicate key at its second occurrence.
package enum YAMLComposer {
    /// Deeper than any tenant file needs; keeps a hostile `[[[[…` from exhausting the stack.
    package static let maximumDepth = 32

    package static func compose(_ text: String) throws(YAMLSyntaxError) -> YAMLNode? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw YAMLSyntaxError(location: .init(line: 1, column: 1), message: "out of memory while reading YAML")
        }
        defer { yaml_parser_delete(&parser) }
        var bytes = Array(text.utf8)
        return try bytes.withUnsafeMutableBufferPointer { buffer throws(YAMLSyntaxError) -> YAMLNode? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            var events = EventReader(parser: &parser, positions: TextPosition(text))
            return try events.readStream()
        }
    }
}

/// One libyaml event, copied out of C memory.
private struct Event {
    package enum Kind { case streamStart, streamEnd, documentStart, documentEnd, scalar, sequenceStart, sequenceEnd, mappingStart, mappingEnd, alias }
    package var kind: Kind
    package var location: SourceLocation
    package var value = ""
    package var isPlain = true
    package var anchor: String?
    package var tag: String?
}

private struct EventReader {
    package var parser: UnsafeMutablePointer<yaml_parser_t>
    /// Turns libyaml's character offsets into the lines and columns an editor shows (see `TextPosition`).
    package let positions: TextPosition

    package init(parser: UnsafeMutablePointer<yaml_parser_t>, positions: TextPosition) {
        self.parser = parser
        self.positions = positions
    }

    private func location(_ mark: yaml_mark_t) -> SourceLocation {
        positions.location(ofScalar: Int(mark.index))
    }

    package mutating func readStream() throws(YAMLSyntaxError) -> YAMLNode? {
        _ = try next()  // stream start
        var event = try next()
        if event.kind == .streamEnd { return nil }
        guard event.kind == .documentStart else { throw unexpected(event) }
        event = try next()
        let root = try readNode(event, depth: 0)
        _ = try next()  // document end
        let after = try next()
        if after.kind == .documentStart {
            throw YAMLSyntaxError(location: after.location, message: "a tenant file holds one YAML document; remove this second document (`---`)")
        }
        return root
    }

    private mutating func readNode(_ event: Event, depth: Int) throws(YAMLSyntaxError) -> YAMLNode {
        try refuseAliasAnchorAndTag(event)
        guard depth < YAMLComposer.maximumDepth else {
            throw YAMLSyntaxError(location: event.location, message: "values are nested more than \(YAMLComposer.maximumDepth) levels deep")
        }
        switch event.kind {
        case .scalar:
            return .scalar(event.value, isPlain: event.isPlain, event.location)
        case .sequenceStart:
            var items: [YAMLNode] = []
            while true {
                let item = try next()
                if item.kind == .sequenceEnd { break }
                items.append(try readNode(item, depth: depth + 1))
            }
            return .sequence(items, event.location)
        case .mappingStart:
            var pairs: [(key: YAMLKey, value: YAMLNode)] = []
            var seen: [String: SourceLocation] = [:]
            while true {
                let keyEvent = try next()
                if keyEvent.kind == .mappingEnd { break }
                let key = try readKey(keyEvent)
                if let first = seen[key.name] {
                    throw YAMLSyntaxError(
                        location: key.location,
                        message: "duplicate key \(key.name.echoed): it is already given at line \(first.line); keep one"
                    )
                }
                seen[key.name] = key.location
                let value = try readNode(try next(), depth: depth + 1)
                pairs.append((key, value))
            }
            return .mapping(pairs, event.location)
        default:
            throw unexpected(event)
        }
    }

    private func refuseAliasAnchorAndTag(_ event: Event) throws(YAMLSyntaxError) {
        if event.kind == .alias {
            throw YAMLSyntaxError(location: event.location, message: "aliases (*name) are not allowed in tenant files; write the value out in full")
        }
        if let anchor = event.anchor {
            throw YAMLSyntaxError(
                location: event.location,
                message: "anchors (&\(anchor.bounded)) are not allowed in tenant files; write each value out in full"
            )
        }
        if let tag = event.tag {
            throw YAMLSyntaxError(
                location: event.location,
                message: "tags (\(tag.bounded)) are not allowed in tenant files; quote the value if it is meant as text"
            )
        }
    }

    private mutating func readKey(_ event: Event) throws(YAMLSyntaxError) -> YAMLKey {
        try refuseAliasAnchorAndTag(event)
        guard event.kind == .scalar else {
            throw YAMLSyntaxError(
                location: event.location,
                message: "keys must be plain text, not lists or mappings (`? [a]`, `{a: 1}: b`); write a name like `features:`"
            )
        }
        if event.value == "<<" && event.isPlain {
            throw YAMLSyntaxError(location: event.location, message: "merge keys (<<) are not allowed in tenant files; write the keys out in full")
        }
        return YAMLKey(name: event.value, location: event.location)
    }

    private func unexpected(_ event: Event) -> YAMLSyntaxError {
        YAMLSyntaxError(location: event.location, message: "unexpected YAML structure")
    }

    private mutating func next() throws(YAMLSyntaxError) -> Event {
        var raw = yaml_event_t()
        guard yaml_parser_parse(parser, &raw) == 1 else { throw syntaxError() }
        defer { yaml_event_delete(&raw) }
        let location = location(raw.start_mark)
        switch raw.type {
        case YAML_STREAM_START_EVENT: return Event(kind: .streamStart, location: location)
        case YAML_STREAM_END_EVENT: return Event(kind: .streamEnd, location: location)
        case YAML_DOCUMENT_START_EVENT: return Event(kind: .documentStart, location: location)
        case YAML_DOCUMENT_END_EVENT: return Event(kind: .documentEnd, location: location)
        case YAML_ALIAS_EVENT: return Event(kind: .alias, location: location)
        case YAML_SCALAR_EVENT:
            let scalar = raw.data.scalar
            return Event(
                kind: .scalar,
                location: location,
                value: string(scalar.value, length: scalar.length),
                isPlain: scalar.style == YAML_PLAIN_SCALAR_STYLE,
                anchor: optionalString(scalar.anchor),
                tag: optionalString(scalar.tag)
            )
        case YAML_SEQUENCE_START_EVENT:
            let start = raw.data.sequence_start
            return Event(kind: .sequenceStart, location: location, anchor: optionalString(start.anchor), tag: optionalString(start.tag))
        case YAML_SEQUENCE_END_EVENT: return Event(kind: .sequenceEnd, location: location)
        case YAML_MAPPING_START_EVENT:
            let start = raw.data.mapping_start
            return Event(kind: .mappingStart, location: location, anchor: optionalString(start.anchor), tag: optionalString(start.tag))
        case YAML_MAPPING_END_EVENT: return Event(kind: .mappingEnd, location: location)
        default: throw YAMLSyntaxError(location: location, message: "unexpected YAML event")
        }
    }

    private func syntaxError() -> YAMLSyntaxError {
        if parser.pointee.error == YAML_READER_ERROR {
            // The reader reports a byte offset, not a mark: a character YAML does not allow in a file.
            let message = parser.pointee.problem.map { String(cString: $0) } ?? "invalid character"
            return YAMLSyntaxError(location: positions.location(ofByte: Int(parser.pointee.problem_offset)), message: message)
        }
        let mark = parser.pointee.problem_mark
        var message = parser.pointee.problem.map { String(cString: $0) } ?? "invalid YAML"
        if let context = parser.pointee.context.map({ String(cString: $0) }) {
            message += " (\(context) at line \(location(parser.pointee.context_mark).line))"
        }
        return YAMLSyntaxError(location: location(mark), message: message)
    }

    private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?, length: Int) -> String {
        guard let pointer else { return "" }
        return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    private func optionalString(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}
