import ClinicBoxCore
import GRDB
import Hummingbird

/// `GET /api/v1/reports` lists the reports this tenant can run; `GET /api/v1/reports/{id}?from=&to=&branch=&format=csv`
/// runs one.
package enum ReportsAPI {
    package static func index(_: Request, _ context: AuthenticatedContext) async throws -> Response {
        struct Entry: Encodable { var id: String, summary: String, columns: [String] }
        let entries = context.tenant.catalog.reports.filter { context.tenant.features.contains($0.module) }.map {
            Entry(id: $0.id, summary: $0.summary, columns: $0.columns)
        }
        return .json(["reports": entries])
    }

    package static func run(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let report = try find(context.parameters.get("report") ?? "", tenant: context.tenant)
        try ListQuery(request).finish()
        let query = try ReportQuery(
            parameter: { request.uri.queryParameters.get($0) },
            today: .today(in: context.tenant.timeZone),
            branches: try await context.visibleBranches(request)
        )
        let rows = try await report.rows(query, in: context.storage.database())
        return answer(report, query, rows: rows, request, tenant: context.tenant)
    }

    /// The report called `name`, if this tenant has its module.
    package static func find(_ name: String, tenant: Tenant) throws -> Report {
        guard let report = tenant.catalog.reports.first(where: { $0.id == name }) else {
            throw Problem(.notFound, title: "No such report", detail: "Reports: \(tenant.catalog.reports.map(\.id).joined(separator: ", ")).")
        }
        try tenant.requireFeature(report.module)
        return report
    }

    package static func answer(_ report: Report, _ query: ReportQuery, rows: [[DatabaseValue]], _ request: Request, tenant: Tenant) -> Response {
        if request.uri.queryParameters.get("format") == "csv" {
            return csv(report, rows: rows, currency: tenant.definition.currency, fileName: report.fileName(tenant: tenant.id, query))
        }
        var json = "{\"report\":\"\(report.id)\","
        if report.usesPeriod { json += "\"from\":\"\(query.from)\",\"to\":\"\(query.to)\"," }
        json += "\"branches\":" + String(decoding: JSON.encode(query.branches), as: UTF8.self) + ",\"rows\":["
        json += rows.map { row in
            "{" + zip(report.columns, row).map { "\"\($0)\":\(jsonValue($1))" }.joined(separator: ",") + "}"
        }.joined(separator: ",")
        json += "]}"
        return .json(bytes: ByteBuffer(string: json))
    }

    /// The rows as a CSV download (RFC 4180), the same for the API and the pages. Amounts are decimals in the
    /// tenant's currency (`6.49`), named in a last `currency` column, as a spreadsheet should sum them.
    package static func csv(_ report: Report, rows: [[DatabaseValue]], currency: String, fileName: String) -> Response {
        let hasMoney = !report.moneyColumns.isEmpty
        var text = (report.columns + (hasMoney ? ["currency"] : [])).joined(separator: ",") + "\r\n"
        for row in rows {
            let cells = zip(report.columns, row).map { column, value in
                report.moneyColumns.contains(column) ? amount(value, currency: currency) { Money.number($0, currency: currency) } : plain(value)
            }
            text += (cells + (hasMoney ? [currency] : [])).map(CSV.field).joined(separator: ",") + "\r\n"
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(fileName)\""],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }

    /// A money column's value written by `format`; empty when there is none.
    package static func amount(_ value: DatabaseValue, currency: String, _ format: (Int64) -> String) -> String {
        guard case .int64(let minor) = value.storage else { return plain(value) }
        return format(minor)
    }

    package static func plain(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: ""
        case .int64(let number): String(number)
        case .double(let number): String(number)
        case .string(let text): text
        case .blob: ""
        }
    }

    package static func jsonValue(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null, .blob: "null"
        case .int64(let number): String(number)
        case .double(let number): String(number)
        case .string(let text): String(decoding: JSON.encode(text), as: UTF8.self)
        }
    }
}
