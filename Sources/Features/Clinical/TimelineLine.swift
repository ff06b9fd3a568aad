import ClinicBoxCore
import Mustache
import Patients

/// One timeline entry as the chart page prints it. A chart can hold hundreds, and swift-mustache spends a few
/// dynamic casts on every value it looks up, so each line is rendered once and kept (`Pages.rows`), keyed by a hash
/// of the entry's page and of everything it shows: a changed entry has a new key, so nothing stale is shown. The
/// time is kept as stored and written out only when the line is rendered, so a kept line costs no formatting.
package struct TimelineLine: TemplateValues, Sendable {
    package var at: String
    package var time: ReadableTime
    package var kind: String
    package var title: String
    package var detail: String
    package var href: String

    package init(_ entry: ChartEntry, base: String, time: ReadableTime) {
        at = entry.at
        self.time = time
        kind = entry.kind
        title = entry.title
        detail = entry.detail
        href = base + entry.path
    }

    package var record: (id: Int64, version: Int64) {
        var page = Hasher()
        var shown = Hasher()
        page.combine(href)
        page.combine(kind)
        for text in [at, time.timeZone.identifier, kind, title, detail, href] { shown.combine(text) }
        return (Int64(page.finalize()), Int64(shown.finalize()))
    }

    package static let templateNames: TemplateNames<TimelineLine> = [
        "when": { $0.time.moment($0.at) },
        "kind": { $0.kind },
        "title": { $0.title },
        "detail": { $0.detail },
        "href": { $0.href },
    ]
}
