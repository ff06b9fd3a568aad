import GRDB

/// One line of a patient's chart timeline, read from a module's `TimelineSource`: what happened, when, where to
/// open it, and the action a user needs to see it (the front desk sees appointments, not visits).
package struct ChartEntry: Sendable {
    /// The moment it happened, ISO 8601 in UTC (`2026-12-01T09:50:24Z`), by which the chart orders entries.
    package var at: String
    /// What kind of record it is (`visit`, `appointment`), for the page's label and the API.
    package var kind: String
    /// `Visit V-000001`
    package var title: String
    /// One readable line: who, what, its status.
    package var detail: String
    /// Its page, below the tenant's base (`/visits/1`).
    package var path: String
    package var action: PermissionAction

    package init(at: String, kind: String, title: String, detail: String, path: String, action: PermissionAction) {
        self.at = at
        self.kind = kind
        self.title = title
        self.detail = detail
        self.path = path
        self.action = action
    }
}

/// One kind of entry a module adds to a patient's timeline (`ChartContribution.timeline`): a query for its
/// records of one patient and how one of them reads. The chart asks every source the user may see in one query,
/// ordered by time and cut at the lines shown, so SQLite reads only those rows (each source walks an index that
/// starts with the patient and the moment) and only those become entries: a long history costs what a short one does.
package struct TimelineSource: Sendable {
    /// `visit`, `appointment`: the page's label and the API's `kind`.
    package var kind: String
    /// What a user needs to see these entries; sources the user may not see are left out of the query.
    package var action: PermissionAction
    /// `SELECT <moment>, <id>, <values>… FROM … WHERE <patient column> = :patient`, without ORDER BY or LIMIT: the
    /// moment first (ISO 8601 in UTC, as stored), then the record's id (newest first among entries of the same
    /// moment), then whatever `line` reads. A record that belongs to a branch keeps to the reader's with
    /// `AND \(ChartReader.inBranches("<branch column>"))`, as its own page does.
    package var query: String
    /// Title, detail and page (below the tenant's base) of one row.
    package var line: @Sendable (TimelineRow, ReadableTime) -> (title: String, detail: String, path: String)

    package init(
        kind: String,
        action: PermissionAction,
        query: String,
        line: @escaping @Sendable (TimelineRow, ReadableTime) -> (title: String, detail: String, path: String)
    ) {
        self.kind = kind
        self.action = action
        self.query = query
        self.line = line
    }
}

/// One row of a `TimelineSource`'s query, read by position as the query selects them: `at`, `id`, then `[0]`,
/// `[1]`… for the values after them.
package struct TimelineRow {
    /// Column 0 of the chart's query says which source the row came from; the source's own columns follow.
    fileprivate let row: Row

    package init(_ row: Row) { self.row = row }

    package var at: String { row[1] }
    package var id: Int64 { row[2] }

    package subscript<Value: DatabaseValueConvertible & StatementColumnConvertible>(_ index: Int) -> Value { row[3 + index] }
}

/// A section a module adds to a patient's chart (`ChartContribution.panels`): the visits module's last vitals
/// and their trend. The chart renders every panel the same way and leaves out those the user may not read.
package struct ChartPanel: Sendable {
    package struct Fact: Sendable {
        package var label: String
        package var value: String
        /// When it was measured or recorded, as people read it.
        package var when: String
        /// "high" or "low" when it is outside the normal range, in words beside the value.
        package var flag: String? = nil

        package init(label: String, value: String, when: String, flag: String? = nil) {
            self.label = label
            self.value = value
            self.when = when
            self.flag = flag
        }
    }

    package struct Figure: Sendable {
        /// Inline SVG made by `TrendChart` from numbers, never from text a user typed unescaped.
        package var svg: String
        package var caption: String
        /// Its class on the page: `trend` (two side by side on a phone) or `odontogram` (the width of the panel).
        package var kind = "trend"

        package init(svg: String, caption: String, kind: String = "trend") {
            self.svg = svg
            self.caption = caption
            self.kind = kind
        }
    }

    /// For the section's anchor: `vitals`.
    package var id: String
    package var title: String
    package var facts: [Fact]
    package var figures: [Figure]
    /// Shown when there are no facts.
    package var empty: String
    package var action: PermissionAction

    package init(id: String, title: String, facts: [Fact], figures: [Figure], empty: String, action: PermissionAction) {
        self.id = id
        self.title = title
        self.facts = facts
        self.figures = figures
        self.empty = empty
        self.action = action
    }
}
