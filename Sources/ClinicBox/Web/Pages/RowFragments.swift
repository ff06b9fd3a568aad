import Mustache

/// HTML a template already rendered (and escaped). The only values templates insert with `{{{ }}}`.
struct RenderedHTML: MustacheCustomRenderable, Sendable {
    var html: String
    var renderText: String { html }
    var isNull: Bool { false }
}

/// The rendered rows of list pages, kept per tenant database (20,000 rows at most, about 300 bytes each). Rendering
/// 50 rows of 6 values was over half of a list page's time; a row is rendered again only when it changes.
typealias RowFragments = KeptHTML<RowFragmentKey>

/// What a kept row shows: the record's id and version (every change bumps the version), the template, the page
/// root and the templates' generation (a reload starts afresh).
struct RowFragmentKey: Hashable, Sendable {
    /// The template, or the kind of record when one template shows several kinds.
    var template: String
    var base: String
    var generation: Int
    var id: Int64
    var version: Int64
}
