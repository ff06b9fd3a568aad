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

    /// The newest 100 entries, optionally of one action or one user's email.
    private func audit(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let action = query.get("action")?.trimmingSpaces ?? ""
        let user = query.get("user")?.trimmingSpaces.lowercased() ?? ""
        var conditions = SQLConditions()
        if !action.isEmpty { conditions.add("action = ?", [action]) }
        if !user.isEmpty { conditions.add("user_email = ?", [user]) }
        let sql = "SELECT id, at, user_email, action, entity_type, entity_id, changes FROM audit_log \(conditions.whereClause) ORDER BY id DESC LIMIT 100"
        let arguments = conditions.arguments
        let database = try await context.storage.database()
        let time = context.tenant.readableTime
        let entries = try await database.readStatement { db in
            try db.fetchAllCached(sql, arguments).map { row in
                Entry(
                    id: row["id"], at: time.moment(row["at"]), who: row["user_email"] ?? "system", action: row["action"],
                    entity: [row["entity_type"] as String?, row["entity_id"] as String?].compactMap { $0 }.joined(separator: " "),
                    changes: AuditChanges(json: row["changes"], time: time).text
                )
            }
        }
        let data: [String: Any] = [
            "action": action, "user": user, "hasEntries": !entries.isEmpty,
            "rows": pages.rows(entries, template: "admin/audit-row", context, database: database) { ($0.id, 0) },  // audit rows never change
        ]
        return pages.page(context, "admin/audit", title: "Audit log", section: "admin", data: data)
    }
}
