import Mustache
import Synchronization

/// HTML a template already rendered (and escaped). The only values templates insert with `{{{ }}}`.
struct RenderedHTML: MustacheCustomRenderable, Sendable {
    var html: String
    var renderText: String { html }
    var isNull: Bool { false }
}

/// The rendered rows of list pages, kept per tenant database and keyed by what a row shows: the record's id and
/// version (every change bumps the version, so a changed record is never shown stale), the template, the page root
/// and the templates' generation (a reload starts afresh).
///
/// swift-mustache spends a few dynamic casts on every variable it looks up, so rendering 50 rows of 6 values was
/// over half of a list page's time; a row is rendered again only when it changes.
final class RowFragments: Sendable {
    struct Key: Hashable, Sendable {
        /// The template, or the kind of record when one template shows several kinds.
        var template: String
        var base: String
        var generation: Int
        var id: Int64
        var version: Int64
    }

    private let cache = Mutex<[Key: String]>([:])
    /// Beyond this many rows the cache starts again empty, so memory stays bounded (about 300 bytes a row).
    private let capacity = 20_000

    func html(for key: Key, render: () -> String) -> String {
        if let html = cache.withLock({ $0[key] }) { return html }
        let html = render()
        cache.withLock { cache in
            if cache.count >= capacity { cache.removeAll(keepingCapacity: true) }
            cache[key] = html
        }
        return html
    }
}
