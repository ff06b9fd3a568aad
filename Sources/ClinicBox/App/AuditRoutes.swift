import Foundation
import GRDB
import Hummingbird

/// `GET /api/v1/audit`: the tenant's audit trail for admins, filtered and paged, as JSON or CSV.
struct AuditRoutes {
    var endpoints: [Endpoint<AuthenticatedContext>] {
        [
            Endpoint(
                .get(
                    "api/v1/audit", "The audit trail, newest first", action: Permissions.readAudit,
                    query: [
                        "user": (.text, "email"), "action": (.text, ""), "entity_type": (.text, ""), "entity_id": (.text, ""), "from": (.timestamp, ""),
                        "to": (.timestamp, ""), "before": (.id, "next_before of the previous page"), "limit": (.integer(minimum: 1, maximum: Int64(ListPage.maximumLimit)), ""),
                        "format": (.choice(["json", "csv"]), ""),
                    ],
                    response: .csvOrJSON(.freeForm)
                ), use: list
            )
        ]
    }

    struct Entry: Encodable, Sendable {
        var id: Int64
        var at: String
        var userId: Int64?
        var userEmail: String?
        var role: String?
        var clientAddress: String?
        var requestId: String?
        var action: String
        var entityType: String?
        var entityId: String?
        var changes: String?
    }

    struct Page: Encodable {
        var entries: [Entry]
        /// Pass as `before=` for the next (older) page; absent on the last page.
        var nextBefore: Int64?
    }

    private func list(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let query = ListQuery(request)
        try query.finish()
        let (limit, before) = (query.integer("limit") ?? 50, query.id("before"))
        var conditions: [String] = []
        var arguments: StatementArguments = []
        for (parameter, column) in [("user", "user_email"), ("action", "action"), ("entity_type", "entity_type"), ("entity_id", "entity_id")] {
            if let value = query.text(parameter) {
                conditions.append("\(column) = ?")
                _ = arguments.append(contentsOf: [value])
            }
        }
        if let from = query.timestamp("from") { conditions.append("at >= ?"); _ = arguments.append(contentsOf: [from]) }
        if let to = query.timestamp("to") { conditions.append("at < ?"); _ = arguments.append(contentsOf: [to]) }
        if let before { conditions.append("id < ?"); _ = arguments.append(contentsOf: [before]) }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        _ = arguments.append(contentsOf: [limit + 1])
        let sql = "SELECT * FROM audit_log \(whereClause) ORDER BY id DESC LIMIT ?"
        let rows = try await context.storage.database().read { [arguments] db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map {
                Entry(
                    id: $0["id"], at: $0["at"], userId: $0["user_id"], userEmail: $0["user_email"], role: $0["role"], clientAddress: $0["client_address"],
                    requestId: $0["request_id"], action: $0["action"], entityType: $0["entity_type"], entityId: $0["entity_id"], changes: $0["changes"]
                )
            }
        }
        let entries = Array(rows.prefix(limit))
        if query.choice("format") == "csv" { return csv(entries) }
        return .json(Page(entries: entries, nextBefore: rows.count > limit ? entries.last?.id : nil))
    }

    private func csv(_ entries: [Entry]) -> Response {
        var text = "id,at,user_id,user_email,role,client_address,request_id,action,entity_type,entity_id,changes\r\n"
        for entry in entries {
            let fields: [String?] = [
                String(entry.id), entry.at, entry.userId.map(String.init), entry.userEmail, entry.role, entry.clientAddress, entry.requestId, entry.action,
                entry.entityType, entry.entityId, entry.changes,
            ]
            text += fields.map { CSV.field($0 ?? "") }.joined(separator: ",") + "\r\n"
        }
        return Response(
            status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"audit.csv\""],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }
}

/// RFC 4180 fields, and no formula injection when a spreadsheet opens the file.
enum CSV {
    static func field(_ value: String) -> String {
        var value = value
        if let first = value.first, "=+-@\t\r".contains(first) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
