import GRDB

/// One report: the module whose data it reads, its columns, and the query for a period and set of branches.
struct Report: Sendable {
    var id: String
    var module: String
    var summary: String
    var columns: [String]
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
            guard let date = CalendarDate(text) else { errors[name] = "must be a date written YYYY-MM-DD"; return fallback }
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
            throw Problem(.badRequest, title: "Invalid report parameters", detail: "Check \(errors.keys.sorted().joined(separator: ", ")).", fieldErrors: errors)
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
    /// Runs the report; no branches means no rows.
    func rows(_ query: ReportQuery, in database: TenantDatabase) async throws -> [[DatabaseValue]] {
        guard !query.branches.isEmpty else { return [] }
        let sql = self.sql(query.branches.map { _ in "?" }.joined(separator: ", "))
        let arguments = self.arguments(query)
        return try await database.read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in Array(row.databaseValues) }
        }
    }
}

extension Report {
    static let all: [Report] = [
        Report(
            id: "appointments-per-day", module: "appointments", summary: "appointments per day by status, and the no-show rate",
            columns: ["date", "booked", "completed", "cancelled", "no_show", "no_show_rate"],
            sql: { branches in
                """
                SELECT local_date, count(*), sum(status = 'completed'), sum(status = 'cancelled'), sum(status = 'no_show'),
                    round(coalesce(1.0 * sum(status = 'no_show') / nullif(sum(status IN ('completed', 'no_show', 'checked_in')), 0), 0), 3)
                FROM appointments WHERE local_date BETWEEN ? AND ? AND branch IN (\(branches)) GROUP BY local_date ORDER BY local_date
                """
            },
            arguments: { StatementArguments([$0.from.description, $0.to.description]) + StatementArguments($0.branches) }
        ),
        Report(
            id: "sales-per-day", module: "sales", summary: "sales per day: count, total, tax and refunds (minor units)",
            columns: ["date", "sales", "total", "tax", "refunded"],
            sql: { branches in
                """
                SELECT sale_date, count(*), sum(total), sum(tax), sum(refunded) FROM sales
                WHERE sale_date BETWEEN ? AND ? AND branch IN (\(branches)) GROUP BY sale_date ORDER BY sale_date
                """
            },
            arguments: { StatementArguments([$0.from.description, $0.to.description]) + StatementArguments($0.branches) }
        ),
        Report(
            id: "sales-by-product", module: "sales", summary: "units sold and revenue per product, net of refunds (minor units, before sale discounts)",
            columns: ["product_id", "sku", "name", "units", "revenue"],
            sql: { branches in
                """
                SELECT p.id, p.sku, p.name, sum(i.quantity - i.refunded_quantity),
                    sum(i.line_total * (i.quantity - i.refunded_quantity) / i.quantity)
                FROM sale_items i JOIN sales s ON s.id = i.sale_id JOIN products p ON p.id = i.product_id
                WHERE s.sale_date BETWEEN ? AND ? AND s.branch IN (\(branches)) GROUP BY p.id ORDER BY 5 DESC, p.name
                """
            },
            arguments: { StatementArguments([$0.from.description, $0.to.description]) + StatementArguments($0.branches) }
        ),
        Report(
            id: "stock-value", module: "inventory", summary: "in-date stock per branch at cost and at selling price (minor units)",
            columns: ["branch", "products", "units", "cost_value", "retail_value"], usesPeriod: false,
            sql: { branches in
                """
                SELECT branch, count(DISTINCT product_id), sum(quantity), sum(quantity * cost_price), sum(quantity * selling_price)
                FROM stock_batches WHERE quantity > 0 AND expiry >= ? AND branch IN (\(branches)) GROUP BY branch ORDER BY branch
                """
            },
            arguments: { StatementArguments([$0.today.description]) + StatementArguments($0.branches) }
        ),
        Report(
            id: "expiring-stock", module: "inventory", summary: "batches expiring within `days` (default 90), expired ones included",
            columns: ["branch", "sku", "name", "batch_number", "expiry", "quantity", "cost_value"], usesPeriod: false,
            sql: { branches in
                """
                SELECT b.branch, p.sku, p.name, b.batch_number, b.expiry, b.quantity, b.quantity * b.cost_price
                FROM stock_batches b JOIN products p ON p.id = b.product_id
                WHERE b.quantity > 0 AND b.expiry <= ? AND b.branch IN (\(branches)) ORDER BY b.expiry, p.name
                """
            },
            arguments: { StatementArguments([$0.today.adding(days: $0.days).description]) + StatementArguments($0.branches) }
        ),
    ]
}
