import GRDB

/// One report: the module whose data it reads, its columns, and the query for a period and set of branches.
package struct Report: Sendable {
    package var id: String
    /// The module that declares it (filled in by the catalogue): the report is offered where that module is on.
    package var module = ""
    package var summary: String
    package var columns: [String]
    /// Columns holding amounts of money: minor units in the JSON API, the tenant's currency on pages and in CSV.
    package var moneyColumns: Set<String> = []
    /// Columns whose values add up to something meaningful, totalled under the table on the page.
    package var summedColumns: Set<String> = []
    /// Whether `from`/`to` apply (stock reports are "now").
    package var usesPeriod = true
    /// SQL returning `columns` in order; arguments are bound by `arguments`.
    package var sql: @Sendable (_ branchPlaceholders: String) -> String
    package var arguments: @Sendable (_ query: ReportQuery) -> StatementArguments

    package init(
        id: String,
        module: String = "",
        summary: String,
        columns: [String],
        moneyColumns: Set<String> = [],
        summedColumns: Set<String> = [],
        usesPeriod: Bool = true,
        sql: @escaping @Sendable (_ branchPlaceholders: String) -> String,
        arguments: @escaping @Sendable (_ query: ReportQuery) -> StatementArguments
    ) {
        self.id = id
        self.module = module
        self.summary = summary
        self.columns = columns
        self.moneyColumns = moneyColumns
        self.summedColumns = summedColumns
        self.usesPeriod = usesPeriod
        self.sql = sql
        self.arguments = arguments
    }
}

/// What a report is asked for: a period of local dates, the branches, and today.
package struct ReportQuery: Sendable {
    package var from: CalendarDate
    package var to: CalendarDate
    package var branches: [String]
    package var today: CalendarDate
    package var days: Int

    /// `from`/`to` (local dates, inclusive; default the last 30 days, at most 366) and `days` (default 90) from a
    /// query string (`parameter` looks one up); a bad value is a `400` naming it.
    package init(parameter: (String) -> String?, today: CalendarDate, branches: [String]) throws {
        var errors: [String: String] = [:]
        func date(_ name: String, _ fallback: CalendarDate) -> CalendarDate {
            guard let text = parameter(name), !text.isEmpty else { return fallback }
            guard let date = CalendarDate(text) else {
                errors[name] = "must be a date written YYYY-MM-DD"
                return fallback
            }
            return date
        }
        let to = date("to", today)
        let from = date("from", to.adding(days: -29))
        if from > to { errors["from"] = "must not be after to" }
        if from.adding(days: 366) < to { errors["to"] = "must be at most 366 days after from" }
        var days = 90
        if let text = parameter("days"), !text.isEmpty {
            if let value = Int(text), (0...3650).contains(value) { days = value } else { errors["days"] = "must be a whole number from 0 to 3650" }
        }
        guard errors.isEmpty else {
            throw Problem(
                .badRequest,
                title: "Invalid report parameters",
                detail: "Check \(errors.keys.sorted().joined(separator: ", ")).",
                fieldErrors: errors
            )
        }
        self.init(from: from, to: to, branches: branches, today: today, days: days)
    }

    package init(from: CalendarDate, to: CalendarDate, branches: [String], today: CalendarDate, days: Int) {
        self.from = from
        self.to = to
        self.branches = branches
        self.today = today
        self.days = days
    }
}

extension Report {
    /// The columns a page shows: record ids (`product_id`) are for the API and CSV, not for people.
    package var shownColumns: [String] { columns.filter { !$0.hasSuffix("_id") } }

    /// The download's file name: tenant, report and period, e.g. `greenleaf-pharmacy-sales-per-day-2026-11.csv`
    /// for a whole month, `…-2026-11-03-to-2026-11-09.csv` otherwise, `…-2026-12-01.csv` for a report of "now".
    package func fileName(tenant: TenantID, _ query: ReportQuery) -> String {
        let period: String
        if !usesPeriod {
            period = query.today.description
        } else if query.from.day == 1, query.from.year == query.to.year, query.from.month == query.to.month,
            query.to.adding(days: 1).month != query.to.month || query.to == query.today
        {
            period = String(query.from.description.prefix(7))
        } else {
            period = "\(query.from)-to-\(query.to)"
        }
        return "\(tenant.rawValue)-\(id)-\(period).csv"
    }

    /// Runs the report; no branches means no rows.
    package func rows(_ query: ReportQuery, in database: TenantDatabase) async throws -> [[DatabaseValue]] {
        guard !query.branches.isEmpty else { return [] }
        let sql = self.sql(query.branches.map { _ in "?" }.joined(separator: ", "))
        let arguments = self.arguments(query)
        // A year of sales or appointments is a long aggregate: away from the event loops.
        return try await database.longRead { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in Array(row.databaseValues) }
        }
    }
}
