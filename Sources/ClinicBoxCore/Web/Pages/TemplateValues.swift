import Mustache

/// A value a template shows (a list row, a form field, a panel), its names declared once as data: each name a
/// template may use and how it is read from the value. `child(named:)`, which swift-mustache calls for every name
/// it looks up, is then one dictionary lookup and one call, instead of a `switch` written by hand in every type.
package protocol TemplateValues: MustacheParent {
    static var templateNames: TemplateNames<Self> { get }
}

extension TemplateValues {
    package func child(named name: String) -> Any? { Self.templateNames.reads[name]?(self) }
}

/// The names a template may use on a `Value` and how each is read; written as a dictionary literal,
/// `["name": { $0.name }, "total": { Money.format($0.total, currency: $0.currency) }]`.
package struct TemplateNames<Value>: Sendable, ExpressibleByDictionaryLiteral {
    package typealias Read = @Sendable (Value) -> Any?
    package let reads: [String: Read]

    package init(dictionaryLiteral elements: (String, Read)...) {
        reads = Dictionary(elements) { first, _ in preconditionFailure("a template name is declared twice") }
    }

    package var names: Set<String> { Set(reads.keys) }
}
