import Foundation
import GRDB
import Hummingbird
import Mustache

/// `/admin`: the tenant's administration for its admins — users, API keys, the audit log, the settings file.
package struct AdminPages {
    package let pages: Pages
    package let registry: LiveTenantRegistry
    package let tenantsFolder: String

    package var endpoints: [Endpoint<PageRequestContext>] {
        [
            .page(.get, "", "index", action: Permissions.manageUsers, template: "admin/index", use: index),
            .page(.get, "audit", "audit", action: Permissions.readAudit, template: "admin/audit", use: audit),
        ]
            + UserAdminPages(pages: pages).endpoints.map { $0.mounted(at: "users") }
            + APIKeyPages(pages: pages).endpoints.map { $0.mounted(at: "api-keys") }
            + SettingsPage(pages: pages, registry: registry, tenantsFolder: tenantsFolder).endpoints
    }

    private func index(_: Request, _ context: PageRequestContext) async throws -> Response {
        pages.page(context, "admin/index", title: "Administration", section: "admin")
    }

    package static let pageSize = 100

    /// The log, newest first, 100 a page (`before=` the last id shown), filtered by user email, action, record type,
    /// one record by the number people read on it (a patient's) and a period of local dates; the same entries as CSV with `format=csv` (the newest
    /// 10,000 of them; the API's `/api/v1/audit` pages through everything).
    private func audit(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let value = { (name: String) in query.get(name)?.trimmingSpaces ?? "" }
        let (action, user, type, patient, from, to) = (
            value("action"), value("user").lowercased(), value("type"), value("patient"), value("from"), value("to")
        )
        let before = Int64(value("before"))
        var conditions = SQLConditions()
        var errors: [String] = []
        if !action.isEmpty { conditions.add("action = ?", [action]) }
        if !user.isEmpty { conditions.add("user_email = ?", [user]) }
        if !type.isEmpty { conditions.add("entity_type = ?", [type]) }
        let database = try await context.storage.database()
        // The record people know by its number (a module's, through the contract): the patient's, where there are patients.
        let numbered = context.tenant.auditWording.numbered
        if !patient.isEmpty {
            if let numbered, let id = try await database.read({ db in try numbered.find(db, patient) }) {
                conditions.add("entity_type = ? AND entity_id = ?", [numbered.kind.type, String(id)])
            } else {
                errors.append(numbered.map { "No record has the \($0.label.lowercased()) \(patient)." } ?? "No records here are found by a number.")
            }
        }
        let zone = context.tenant.timeZone
        for (text, comparison, days) in [(from, ">=", 0), (to, "<", 1)] where !text.isEmpty {
            guard let date = CalendarDate(text), let start = LocalDateTime("\(date.adding(days: days))T00:00", timeZone: zone) else {
                errors.append("\(text) is not a date; write it as YYYY-MM-DD.")
                continue
            }
            conditions.add("at \(comparison) ?", [start.utc])
        }
        if let before { conditions.add("id < ?", [before]) }
        let csv = value("format") == "csv"
        let limit = csv ? AuditAPI.csvRows : Self.pageSize
        let sql = "SELECT \(AuditEntry.columns) FROM audit_log \(conditions.whereClause) ORDER BY id DESC LIMIT \(limit + 1)"
        let arguments = conditions.arguments
        let (tenant, base) = (context.tenant, context.basePath)
        if csv {
            guard errors.isEmpty else { throw Problem(.badRequest, title: "Invalid filter", detail: errors.joined(separator: " ")) }
            // Every filtered entry in words: read and written out away from the event loops.
            let text = try await database.longRead { db in
                Self.csv(
                    try AuditEntry.read(db, try Row.fetchAll(db, sql: sql, arguments: arguments), tenant: tenant, basePath: base, forCSV: true)
                        .prefix(limit)
                )
            }
            return Response(
                status: .ok,
                headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(tenant.id.rawValue)-audit.csv\""],
                body: .init(byteBuffer: ByteBuffer(string: text))
            )
        }
        var entries =
            errors.isEmpty
            ? try await database.read { db in
                try AuditEntry.read(db, try Row.fetchAll(db, sql: sql, arguments: arguments), tenant: tenant, basePath: base)
            } : []
        let hasMore = entries.count > limit
        if hasMore { entries.removeLast() }
        let keep = [("action", action), ("user", user), ("type", type), ("patient", patient), ("from", from), ("to", to)].filter { !$0.1.isEmpty }
        func link(_ extra: [(String, String)]) -> String {
            var components = URLComponents()
            components.queryItems = (keep + extra).map { URLQueryItem(name: $0.0, value: $0.1) }
            return context.basePath + "/admin/audit" + (components.string ?? "")
        }
        var actions = tenant.auditWording.actions
        if !action.isEmpty, !actions.contains(where: { $0.code == action }) { actions.append((action, action)) }  // a code from a link or bookmark
        var data: [String: Any] = [
            "user": user, "patient": patient, "from": from, "to": to, "hasEntries": !entries.isEmpty,
            "findsByNumber": numbered != nil, "numberLabel": numbered?.label ?? "",
            "types": tenant.auditWording.kinds.map { ["code": $0.type, "name": $0.label, "selected": $0.type == type] as [String: Any] },
            "actions": actions.map { ["code": $0.code, "name": $0.label, "selected": $0.code == action] as [String: Any] },
            // Rendered every time: a row names records whose names may change since.
            "rows": pages.rows(entries, template: "admin/audit-row", context, database: database) { _ in nil },
            "csvHref": link([("format", "csv")]),
        ]
        if hasMore, let last = entries.last { data["olderHref"] = link([("before", String(last.id))]) }
        if before != nil { data["newestHref"] = link([]) }
        if !errors.isEmpty { data["message"] = errors.joined(separator: " ") }
        return pages.page(context, "admin/audit", title: "Audit log", section: "admin", data: data, status: errors.isEmpty ? .ok : .badRequest)
    }

    /// The entries as a spreadsheet reads them: the time with the tenant's offset, the sentence, the changes in words, and the codes
    /// (user email, action, record) to sort and filter by.
    private static func csv(_ entries: some Sequence<AuditEntry>) -> String {
        var text = "time,what happened,changes,user,action,record\r\n"
        for entry in entries {
            text +=
                [entry.isoAt, entry.sentence, entry.changes, entry.email ?? "", entry.action, entry.recordCode].map(CSV.field).joined(separator: ",")
                + "\r\n"
        }
        return text
    }
}
