import ClinicBoxCore
import Foundation
import GRDB
import Hummingbird
import Mustache

/// `/reports`: the reports of the tenant's modules, each for a period and a branch, as a table or a CSV download.
package struct ReportsPages {
    package let pages: ModulePages

    package func index(_: Request, _ context: PageRequestContext) async throws -> Response {
        let reports = context.tenant.catalog.reports.filter { context.tenant.features.contains($0.module) }.map { report in
            ["href": "\(context.basePath)/reports/\(report.id)", "title": Self.title(report), "summary": report.summary]
        }
        return pages.page(context, "index", title: "Reports", data: ["reports": reports] as [String: Any])
    }

    package func show(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let report = try ReportsAPI.find(context.parameters.get("report") ?? "", tenant: context.tenant)
        let parameters = request.uri.queryParameters
        let allowed = context.workBranches
        let branch = parameters.get("branch").flatMap { allowed.contains($0) ? $0 : nil }
        let query = try ReportQuery(
            parameter: { parameters.get($0) },
            today: .today(in: context.tenant.timeZone),
            branches: branch.map { [$0] } ?? allowed
        )
        let rows = try await report.rows(query, in: context.storage.database())
        let currency = context.tenant.definition.currency
        if parameters.get("format") == "csv" {
            return ReportsAPI.csv(report, rows: rows, currency: currency, fileName: report.fileName(tenant: context.tenant.id, query))
        }
        var csv = URLComponents()
        csv.queryItems =
            [
                URLQueryItem(name: "from", value: query.from.description), URLQueryItem(name: "to", value: query.to.description),
                URLQueryItem(name: "format", value: "csv"),
            ] + (branch.map { [URLQueryItem(name: "branch", value: $0)] } ?? [])
        let totals = Self.totals(report, rows: rows, currency: currency)
        let data: [String: Any] = [
            "title": Self.title(report), "summary": report.summary, "usesPeriod": report.usesPeriod, "from": query.from.description,
            "to": query.to.description,
            "columns": report.shownColumns.map(Self.heading),
            "rows": rows.map { row in
                zip(report.columns, row).filter { !$0.0.hasSuffix("_id") }.map { column, value in
                    ["label": Self.heading(column), "value": Self.cell(report, column, value, tenant: context.tenant)]
                }
            },
            "shortcuts": report.usesPeriod ? Self.shortcuts(report, today: query.today, base: context.basePath, branch: branch) : [],
            "hasShortcuts": report.usesPeriod, "hasTotals": totals != nil,
            "totals": zip(report.shownColumns, totals ?? []).map { column, total in
                total.isEmpty || total == "Total" ? ["value": total] : ["label": Self.heading(column), "value": total]
            },
            "hasRows": !rows.isEmpty,
            "branches": context.branchOptions(allowed, selected: branch), "hasBranches": allowed.count > 1,
            "csvHref": "\(context.basePath)/reports/\(report.id)\(csv.string ?? "")", "action": "\(context.basePath)/reports/\(report.id)",
        ]
        return pages.page(context, "show", title: Self.title(report), data: data)
    }

    /// The totals row: the sum of each summed column, "Total" in the first shown column, blank elsewhere; nil
    /// when the report sums nothing or has no rows.
    package static func totals(_ report: Report, rows: [[DatabaseValue]], currency: String) -> [String]? {
        guard !report.summedColumns.isEmpty, !rows.isEmpty else { return nil }
        return report.columns.enumerated().filter { !$0.element.hasSuffix("_id") }.enumerated().map { position, entry in
            let (index, column) = entry
            guard report.summedColumns.contains(column) else { return position == 0 ? "Total" : "" }
            let sum = rows.reduce(Int64(0)) { total, row in
                if case .int64(let value) = row[index].storage { total + value } else { total }
            }
            return report.moneyColumns.contains(column) ? Money.format(sum, currency: currency) : Money.grouped(String(sum))
        }
    }

    /// Today, this month and last month, as links that keep the branch.
    package static func shortcuts(_ report: Report, today: CalendarDate, base: String, branch: String?) -> [[String: String]] {
        let monthStart = CalendarDate(year: today.year, month: today.month, day: 1)
        let lastMonthEnd = monthStart.adding(days: -1)
        let lastMonthStart = CalendarDate(year: lastMonthEnd.year, month: lastMonthEnd.month, day: 1)
        let branchPart = branch.map { "&branch=\($0)" } ?? ""
        return [("Today", today, today), ("This month", monthStart, today), ("Last month", lastMonthStart, lastMonthEnd)].map { label, from, to in
            ["label": label, "href": "\(base)/reports/\(report.id)?from=\(from)&to=\(to)\(branchPart)"]
        }
    }

    /// `no_show_rate` → "No-show rate"... as a column's heading on the page (the CSV keeps the codes).
    package static func heading(_ column: String) -> String {
        let words = column.replacingOccurrences(of: "no_show", with: "no-show").replacingOccurrences(of: "_", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    /// One value as the page shows it: amounts with the currency and thousands separated, a branch by its name,
    /// a date as `7 Dec 2026`, a rate as a percentage; the CSV keeps the plain values a spreadsheet reads.
    package static func cell(_ report: Report, _ column: String, _ value: DatabaseValue, tenant: Tenant) -> String {
        let currency = tenant.definition.currency
        if report.moneyColumns.contains(column) { return ReportsAPI.amount(value, currency: currency) { Money.format($0, currency: currency) } }
        if column == "branch" { return tenant.branchName(ReportsAPI.plain(value)) }
        switch value.storage {
        case .int64(let number): return Money.grouped(String(number))
        case .double(let rate) where column.hasSuffix("_rate"):
            let tenths = Int((rate * 1000).rounded())
            return "\(tenths / 10).\(tenths % 10) %"
        case .string(let text): return ReadableTime.day(text)
        default: return ReportsAPI.plain(value)
        }
    }

    /// "sales-per-day" → "Sales per day".
    package static func title(_ report: Report) -> String {
        let words = report.id.replacingOccurrences(of: "-", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }
}
