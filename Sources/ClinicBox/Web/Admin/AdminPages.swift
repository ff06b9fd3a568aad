import Foundation
import GRDB
import Hummingbird
import Mustache

/// `/admin`: the tenant's administration for its admins — users, API keys, the audit log, the settings file.
struct AdminPages {
    let pages: Pages
    let registry: LiveTenantRegistry
    let tenantsFolder: String

    var endpoints: [Endpoint<PageRequestContext>] {
        [
            .page(.get, "", "index", action: Permissions.manageUsers) { _, context in try await index(context) },
            .page(.get, "audit", "audit", action: Permissions.readAudit) { request, context in try await audit(request, context) },
        ]
            + UserAdminPages(pages: pages).endpoints.map { $0.mounted(at: "users") }
            + APIKeyPages(pages: pages).endpoints.map { $0.mounted(at: "api-keys") }
            + SettingsPage(pages: pages, registry: registry, tenantsFolder: tenantsFolder).endpoints
    }

    private func index(_ context: PageRequestContext) async throws -> Response {
        return pages.page(context, "admin/index", title: "Administration", section: "admin")
    }

    /// One audit row, as the log page shows it.
    struct Entry: MustacheParent, Sendable {
        var id: Int64
        var at: String
        var who: String
        var action: String
        var entity: String
        var changes: String

        func child(named name: String) -> Any? {
            switch name {
            case "at": at
            case "who": who
            case "action": action
            case "entity": entity
            case "changes": changes
            default: nil
            }
        }
    }

    /// The record types people filter by, as the audit log names them.
    static let recordTypes: [(String, String)] = [
        ("patient", "Patients"), ("appointment", "Appointments"), ("treatment", "Treatments"), ("prescription", "Prescriptions"),
        ("sale", "Sales"), ("product", "Products"), ("stock batch", "Stock batches"), ("user", "Users"), ("session", "Sign-ins"),
        ("access_token", "Tokens and API keys"),
    ]

    static let pageSize = 100

    /// The log, newest first, 100 a page (`before=` the last id shown), filtered by user email, action, record type,
    /// one patient (by number) and a period of local dates; the same entries as CSV with `format=csv` (the newest
    /// 10,000 of them; the API's `/api/v1/audit` pages through everything).
    private func audit(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let value = { (name: String) in query.get(name)?.trimmingSpaces ?? "" }
        let (action, user, type, patient, from, to) = (value("action"), value("user").lowercased(), value("type"), value("patient"), value("from"), value("to"))
        let before = Int64(value("before"))
        var conditions = SQLConditions()
        var errors: [String] = []
        if !action.isEmpty { conditions.add("action = ?", [action]) }
        if !user.isEmpty { conditions.add("user_email = ?", [user]) }
        if !type.isEmpty { conditions.add("entity_type = ?", [type]) }
        let database = try await context.storage.database()
        if !patient.isEmpty {
            let id = try await database.read { db in try PatientSearch.id(number: patient, db) }
            if let id { conditions.add("entity_type = 'patient' AND entity_id = ?", [String(id)]) } else { errors.append("No patient has the number \(patient).") }
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
        let limit = csv ? 10_000 : Self.pageSize
        let sql = "SELECT id, at, user_email, action, entity_type, entity_id, changes FROM audit_log \(conditions.whereClause) ORDER BY id DESC LIMIT \(limit + 1)"
        let arguments = conditions.arguments
        let time = context.tenant.readableTime
        var entries = errors.isEmpty ? try await database.readStatement { db in
            try db.fetchAllCached(sql, arguments).map { row in
                Entry(
                    id: row["id"], at: time.moment(row["at"]), who: row["user_email"] ?? "system", action: row["action"],
                    entity: [row["entity_type"] as String?, row["entity_id"] as String?].compactMap { $0 }.joined(separator: " "),
                    changes: AuditChanges(json: row["changes"], time: time).text
                )
            }
        } : []
        let hasMore = entries.count > limit
        if hasMore { entries.removeLast() }
        if csv { return Self.csv(entries, tenant: context.tenant.id) }
        let keep = [("action", action), ("user", user), ("type", type), ("patient", patient), ("from", from), ("to", to)].filter { !$0.1.isEmpty }
        func link(_ extra: [(String, String)]) -> String {
            var components = URLComponents()
            components.queryItems = (keep + extra).map { URLQueryItem(name: $0.0, value: $0.1) }
            return context.basePath + "/admin/audit" + (components.string ?? "")
        }
        var data: [String: Any] = [
            "action": action, "user": user, "patient": patient, "from": from, "to": to, "hasEntries": !entries.isEmpty,
            "types": Self.recordTypes.map { ["code": $0.0, "name": $0.1, "selected": $0.0 == type] as [String: Any] },
            "rows": pages.rows(entries, template: "admin/audit-row", context, database: database) { ($0.id, 0) },  // audit rows never change
            "csvHref": link([("format", "csv")]),
        ]
        if hasMore, let last = entries.last { data["olderHref"] = link([("before", String(last.id))]) }
        if before != nil { data["newestHref"] = link([]) }
        if !errors.isEmpty { data["message"] = errors.joined(separator: " ") }
        return pages.page(context, "admin/audit", title: "Audit log", section: "admin", data: data, status: errors.isEmpty ? .ok : .badRequest)
    }

    /// The entries as a spreadsheet reads them: local time, who, what, which record, the changes in words.
    private static func csv(_ entries: [Entry], tenant: TenantID) -> Response {
        var text = "time,user,action,record,changes\r\n"
        for entry in entries { text += [entry.at, entry.who, entry.action, entry.entity, entry.changes].map(CSV.field).joined(separator: ",") + "\r\n" }
        return Response(
            status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(tenant.rawValue)-audit.csv\""],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }
}
