import ClinicBoxCore
import Mustache
import Patients

/// One module's panel on the chart page (the last vitals and their trend) as the page prints it. Its facts and
/// figures are a few dozen values, and swift-mustache spends a few dynamic casts on every value it looks up, so a
/// panel is rendered once and kept (`Pages.rows`), keyed like `TimelineLine`: a hash of where it is shown and a hash
/// of everything it shows, so a new reading gives a new key and nothing stale is ever shown.
package struct ChartPanelSection: MustacheParent, Sendable {
    package var panel: ChartPanel
    /// The chart it is shown on (`/t/acme/patients/12`), so two patients' panels never share a key.
    package var chart: String

    package var record: (id: Int64, version: Int64) {
        var place = Hasher()
        var shown = Hasher()
        place.combine(chart)
        place.combine(panel.id)
        shown.combine(panel.title)
        shown.combine(panel.empty)
        shown.combine(panel.facts.count)
        for fact in panel.facts { for text in [fact.label, fact.value, fact.when, fact.flag ?? ""] { shown.combine(text) } }
        shown.combine(panel.figures.count)
        for figure in panel.figures { for text in [figure.svg, figure.caption, figure.kind] { shown.combine(text) } }
        return (Int64(place.finalize()), Int64(shown.finalize()))
    }

    package func child(named key: String) -> Any? {
        switch key {
        case "id": panel.id
        case "title": panel.title
        case "empty": panel.empty
        case "hasFacts": !panel.facts.isEmpty
        case "facts": panel.facts
        case "figures": panel.figures
        default: nil
        }
    }
}

extension ChartPanel.Fact: MustacheParent {
    package func child(named key: String) -> Any? {
        switch key {
        case "label": label
        case "value": value
        case "when": when
        case "flag": flag
        default: nil
        }
    }
}

extension ChartPanel.Figure: MustacheParent {
    package func child(named key: String) -> Any? {
        switch key {
        // Drawn by `TrendChart` from numbers, its labels escaped: the one raw value of the panel template.
        case "svg": RenderedHTML(html: svg)
        case "caption": caption
        case "kind": kind
        default: nil
        }
    }
}
