import ClinicBoxCore
import Mustache
import Patients

/// One module's panel on the chart page (the last vitals and their trend) as the page prints it. Its facts and
/// figures are a few dozen values, and swift-mustache spends a few dynamic casts on every value it looks up, so a
/// panel is rendered once and kept (`Pages.rows`), keyed like `TimelineLine`: a hash of where it is shown and a hash
/// of everything it shows, so a new reading gives a new key and nothing stale is ever shown.
package struct ChartPanelSection: TemplateValues, Sendable {
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

    package static let templateNames: TemplateNames<ChartPanelSection> = [
        "id": { $0.panel.id },
        "title": { $0.panel.title },
        "empty": { $0.panel.empty },
        "hasFacts": { !$0.panel.facts.isEmpty },
        "facts": { $0.panel.facts },
        "figures": { $0.panel.figures },
    ]
}

extension ChartPanel.Fact: TemplateValues {
    package static let templateNames: TemplateNames<ChartPanel.Fact> = [
        "label": { $0.label }, "value": { $0.value }, "when": { $0.when }, "flag": { $0.flag },
    ]
}

extension ChartPanel.Figure: TemplateValues {
    package static let templateNames: TemplateNames<ChartPanel.Figure> = [
        // Drawn by `TrendChart` from numbers, its labels escaped: the one raw value of the panel template.
        "svg": { RenderedHTML(html: $0.svg) },
        "caption": { $0.caption },
        "kind": { $0.kind },
    ]
}
