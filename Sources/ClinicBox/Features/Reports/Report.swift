import GRDB

/// One report: the module whose data it reads, its columns, and the query for a period and set of branches.
struct Report: Sendable {
    var id: String
    /// The module that declares it (filled in by the catalogue): the report is offered where that module is on.
    var module = ""
    var summary: String
    var columns: [String]
    /// Columns holding amounts of money: minor units in the JSON API, the tenant's currency on pages and in CSV.
    var moneyColumns: Set<String> = []
    /// Columns whose values add up to something meaningful, totalled under the table on the page.
    var summedColumns: Set<String> = []
    /// Whether `from`/`to` apply (stock reports are "now").
    var usesPeriod = true
    /// SQL returning `columns` in order; arguments are bound by `arguments`.
    var sql: @Sendable (_ branchPlaceholders: String) -> String
    var arguments: @Sendable (_ query: ReportQuery) -> StatementArguments
}

/// What a report is asked for: a period of local dates, the branches, and today.
struct ReportQuery: Sendable {
    var from: CalendarDate
    var to: CalendarDate
    var branches: [String]
    var today: CalendarDate
    var days: Int

    /// `from`/`to` (local dates, inclusive; default the last 30 days, at most 366) and `days` (default 90) from a
    /// query string (`parameter` looks one up); a bad value is a `400` naming it.
    init(parameter: (String) -> String?, today: CalendarDate, branches: [String]) throws {
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

    init(from: CalendarDate, to: CalendarDate, branches: [String], today: CalendarDate, days: Int) {
        self.from = from
        self.to = to
        self.branches = branches
        self.today = today
        self.days = days
    }
}

extension Report {
    /// The columns a page shows: record ids (`product_id`) are for the API and CSV, not for people.
    var shownColumns: [String] { columns.filter { !$0.hasSuffix("_id") } }

    /// The download's file name: tenant, report and period, e.g. `greenleaf-pharmacy-sales-per-day-2026-11.csv`
    /// for a whole month, `…-2026-11-03-to-2026-11-09.csv` otherwise, `…-2026-12-01.csv` for a report of "now".
    func fileName(tenant: TenantID, _ query: ReportQuery) -> String {
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
    func rows(_ query: ReportQuery, in database: TenantDatabase) async throws -> [[DatabaseValue]] {
        guard !query.branches.isEmpty else { return [] }
        let sql = self.sql(query.branches.map { _ in "?" }.joined(separator: ", "))
        let arguments = self.arguments(query)
        // A year of sales or appointments is a long aggregate: away from the event loops.
        return try await database.longRead { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in Array(row.databaseValues) }
        }
    }
}
