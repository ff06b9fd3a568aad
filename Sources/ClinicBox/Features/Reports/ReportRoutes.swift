import GRDB
import Hummingbird

/// `GET /api/v1/reports` lists the reports this tenant can run; `GET /api/v1/reports/{id}?from=&to=&branch=&format=csv`
/// runs one.
enum ReportRoutes {
    static func index(_ context: AuthenticatedContext) async throws -> Response {
        try await context.require("reports.read")
        struct Entry: Encodable { var id: String, summary: String, columns: [String] }
        let entries = Report.all.filter { context.tenant.features.contains($0.module) }.map { Entry(id: $0.id, summary: $0.summary, columns: $0.columns) }
        return .json(["reports": entries])
    }

    static func run(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        try await context.require("reports.read")
        let name = context.parameters.get("report") ?? ""
        guard let report = Report.all.first(where: { $0.id == name }) else {
            throw Problem(.notFound, title: "No such report", detail: "Reports: \(Report.all.map(\.id).joined(separator: ", ")).")
        }
        guard context.tenant.features.contains(report.module) else {
            throw Problem(.forbidden, title: "Feature not enabled", detail: "feature '\(report.module)' is not enabled for tenant '\(context.tenant.id)'")
        }
        let query = try await period(request, context)
        guard !query.branches.isEmpty else { return answer(report, query, rows: [], request) }
        let sql = report.sql(query.branches.map { _ in "?" }.joined(separator: ", "))
        let arguments = report.arguments(query)
        let rows = try await context.storage.database().read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in Array(row.databaseValues) }
        }
        return answer(report, query, rows: rows, request)
    }

    /// `from`/`to` (local dates, inclusive; default the last 30 days, at most 366), `days`, and the branches.
    private static func period(_ request: Request, _ context: AuthenticatedContext) async throws -> ReportQuery {
        let parameters = request.uri.queryParameters
        let today = CalendarDate.today(in: context.tenant.timeZone)
        var errors: [String: String] = [:]
        func date(_ name: String, _ fallback: CalendarDate) -> CalendarDate {
            guard let text = parameters.get(name) else { return fallback }
            guard let date = CalendarDate(text) else { errors[name] = "must be a date written YYYY-MM-DD"; return fallback }
            return date
        }
        let to = date("to", today)
        let from = date("from", to.adding(days: -29))
        if from > to { errors["from"] = "must not be after to" }
        if from.adding(days: 366) < to { errors["to"] = "must be at most 366 days after from" }
        var days = 90
        if let text = parameters.get("days") {
            if let value = Int(text), (0...3650).contains(value) { days = value } else { errors["days"] = "must be a whole number from 0 to 3650" }
        }
        guard errors.isEmpty else {
            throw Problem(.badRequest, title: "Invalid report parameters", detail: "Check \(errors.keys.sorted().joined(separator: ", ")).", fieldErrors: errors)
        }
        return ReportQuery(from: from, to: to, branches: try await context.visibleBranches(request), today: today, days: days)
    }

    private static func answer(_ report: Report, _ query: ReportQuery, rows: [[DatabaseValue]], _ request: Request) -> Response {
        if request.uri.queryParameters.get("format") == "csv" {
            var text = report.columns.joined(separator: ",") + "\r\n"
            for row in rows { text += row.map { CSV.field(plain($0)) }.joined(separator: ",") + "\r\n" }
            return Response(
                status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(report.id).csv\""],
                body: .init(byteBuffer: ByteBuffer(string: text))
            )
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

    private static func plain(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: ""
        case .int64(let number): String(number)
        case .double(let number): String(number)
        case .string(let text): text
        case .blob: ""
        }
    }

    private static func jsonValue(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null, .blob: "null"
        case .int64(let number): String(number)
        case .double(let number): String(number)
        case .string(let text): String(decoding: JSON.encode(text), as: UTF8.self)
        }
    }
}
