import ClinicBoxCore
import Testing

@testable import Clinical
@testable import Patients

/// A name a template uses that its value does not declare renders as nothing, silently: a row without its patient's
/// name, a panel without its facts. Every row template is read here and each name it uses is looked up in the
/// `TemplateValues` it is rendered with (names inside a section of a list, in the list's element type).
@Suite struct TemplateNamesTests {
    /// The names every content template may use besides its value's (`PageContent`), and Mustache's `.`.
    static let everywhere: Set<String> = ["base", "csrf", "."]

    @Test func rowTemplatesNameOnlyWhatTheirValuesDeclare() throws {
        let assets = AssetStore(overrideFolder: nil)
        let cases: [(template: String, names: Set<String>, lists: [String: Set<String>])] = [
            ("templates/patients/row.mustache", PatientsPages.Line.templateNames.names, [:]),
            ("templates/admin/audit-row.mustache", AuditEntry.templateNames.names, [:]),
            ("templates/partials/dashboard-line.mustache", DashboardCard.Line.templateNames.names, [:]),
            ("templates/partials/field.mustache", FormField.templateNames.names, ["options": ["value", "label", "selected"]]),
            ("templates/clinical/timeline-row.mustache", TimelineLine.templateNames.names, [:]),
            (
                "templates/clinical/chart-panel.mustache", ChartPanelSection.templateNames.names,
                ["facts": ChartPanel.Fact.templateNames.names, "figures": ChartPanel.Figure.templateNames.names]
            ),
        ]
        for (path, names, lists) in cases {
            let text = String(decoding: try #require(assets.contents(path)), as: UTF8.self)
            var scopes: [Set<String>] = [names.union(Self.everywhere)]
            var undeclared: [String] = []
            for tag in Self.tags(text) {
                switch tag.first {
                case "#", "^":
                    let name = String(tag.dropFirst())
                    if !scopes.last!.contains(name) { undeclared.append(name) }
                    // A list's section reads its elements; any other section reads the same value.
                    scopes.append(tag.first == "#" ? lists[name].map { $0.union(Self.everywhere) } ?? scopes.last! : scopes.last!)
                case "/": scopes.removeLast()
                case ">", "!": continue
                default: if !scopes.last!.contains(tag) { undeclared.append(tag) }
                }
            }
            #expect(undeclared.isEmpty, "\(path) uses \(undeclared) that its value does not declare")
            #expect(scopes.count == 1, "\(path): sections do not close")
        }
    }

    /// The tags of a template, trimmed, without their braces: `name`, `#list`, `/list`, `{raw}` read as `raw`.
    static func tags(_ text: String) -> [String] {
        var tags: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            rest = rest[open.upperBound...]
            let triple = rest.first == "{"
            guard let close = rest.range(of: triple ? "}}}" : "}}") else { break }
            var tag = rest[..<close.lowerBound]
            if triple { tag = tag.dropFirst() }
            if tag.first == "&" { tag = tag.dropFirst() }
            tags.append(tag.trimmingCharacters(in: .whitespaces))
            rest = rest[close.upperBound...]
        }
        return tags
    }
}
