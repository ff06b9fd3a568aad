import Mustache

/// HTML a template already rendered (and escaped). The only values templates insert with `{{{ }}}`.
package struct RenderedHTML: MustacheCustomRenderable, Sendable {
    package var html: String
    package var renderText: String { html }
    package var isNull: Bool { false }

    package init(html: String) {
        self.html = html
    }
}

/// The rendered rows of list pages, kept per tenant database (20,000 rows at most, about 300 bytes each). Rendering
/// 50 rows of 6 values was over half of a list page's time; a row is rendered again only when it changes.
package typealias RowFragments = KeptHTML<RowFragmentKey>

/// What a kept row shows: the record's id and version (every change bumps the version), the template, the page
/// root and the templates' generation (a reload starts afresh).
package struct RowFragmentKey: Hashable, Sendable {
    /// The template, or the kind of record when one template shows several kinds.
    package var template: String
    package var base: String
    package var generation: Int
    package var id: Int64
    package var version: Int64
}
