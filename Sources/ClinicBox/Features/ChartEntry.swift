import GRDB

/// One line of a patient's chart timeline, contributed by a module (`FeatureModule.chartEntries`): what happened,
/// when, where to open it, and the action a user needs to see it (the front desk sees appointments, not visits).
struct ChartEntry: Sendable {
    /// The moment it happened, ISO 8601 in UTC (`2026-12-01T09:50:24Z`), by which the chart orders entries.
    var at: String
    /// What kind of record it is (`visit`, `appointment`), for the page's label and the API.
    var kind: String
    /// `Visit V-000001`
    var title: String
    /// One readable line: who, what, its status.
    var detail: String
    /// Its page, below the tenant's base (`/visits/1`).
    var path: String
    var action: PermissionAction
}

/// A section a module adds to a patient's chart (`FeatureModule.chartPanels`): the visits module's last vitals
/// and their trend. The chart renders every panel the same way and leaves out those the user may not read.
struct ChartPanel: Sendable {
    struct Fact: Sendable {
        var label: String
        var value: String
        /// When it was measured or recorded, as people read it.
        var when: String
    }

    struct Figure: Sendable {
        /// Inline SVG made by `TrendChart` from numbers, never from text a user typed unescaped.
        var svg: String
        var caption: String
    }

    /// For the section's anchor: `vitals`.
    var id: String
    var title: String
    var facts: [Fact]
    var figures: [Figure]
    /// Shown when there are no facts.
    var empty: String
    var action: PermissionAction
}
