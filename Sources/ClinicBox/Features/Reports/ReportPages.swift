import Foundation
import GRDB
import Hummingbird
import Mustache

/// `/reports`: the reports of the tenant's modules, each for a period and a branch, as a table or a CSV download.
struct ReportPages {
    let pages: ModulePages

    var endpoints: [Endpoint<PageRequestContext>] {
        [
            .page(.get, "", "index", action: .reportsRead) { _, context in try await index(context) },
            .page(.get, "{report}", "show", action: .reportsRead) { request, context in try await show(request, context) },
        ]
    }

    private func index(_ context: PageRequestContext) async throws -> Response {
        let reports = context.tenant.catalog.reports.filter { context.tenant.features.contains($0.module) }.map { report in
            ["href": "\(context.basePath)/reports/\(report.id)", "title": Self.title(report), "summary": report.summary]
        }
        return pages.page(context, "index", title: "Reports", data: ["reports": reports] as [String: Any])
    }

    private func show(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let report = try ReportRoutes.find(context.parameters.get("report") ?? "", tenant: context.tenant)
        let parameters = request.uri.queryParameters
        let allowed = context.workBranches
        let branch = parameters.get("branch").flatMap { allowed.contains($0) ? $0 : nil }
        let query = try ReportQuery(parameter: { parameters.get($0) }, today: .today(in: context.tenant.timeZone), branches: branch.map { [$0] } ?? allowed)
        let rows = try await report.rows(query, in: context.storage.database())
        let currency = context.tenant.definition.currency
        if parameters.get("format") == "csv" { return ReportRoutes.csv(report, rows: rows, currency: currency) }
        var csv = URLComponents()
        csv.queryItems = [
            URLQueryItem(name: "from", value: query.from.description), URLQueryItem(name: "to", value: query.to.description),
            URLQueryItem(name: "format", value: "csv"),
        ] + (branch.map { [URLQueryItem(name: "branch", value: $0)] } ?? [])
        let data: [String: Any] = [
            "title": Self.title(report), "summary": report.summary, "usesPeriod": report.usesPeriod, "from": query.from.description, "to": query.to.description,
            "columns": report.columns.map { $0.replacingOccurrences(of: "_", with: " ") },
            "rows": rows.map { row in
                zip(report.columns, row).map { column, value in
                    report.moneyColumns.contains(column) ? ReportRoutes.amount(value, currency: currency) { Money.format($0, currency: currency) } : ReportRoutes.plain(value)
                }
            },
            "hasRows": !rows.isEmpty,
            "branches": allowed.map { ["code": $0, "selected": $0 == branch] as [String: Any] }, "hasBranches": allowed.count > 1,
            "csvHref": "\(context.basePath)/reports/\(report.id)\(csv.string ?? "")", "action": "\(context.basePath)/reports/\(report.id)",
        ]
        return pages.page(context, "show", title: Self.title(report), data: data)
    }

    /// "sales-per-day" → "Sales per day".
    static func title(_ report: Report) -> String {
        let words = report.id.replacingOccurrences(of: "-", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }
}
