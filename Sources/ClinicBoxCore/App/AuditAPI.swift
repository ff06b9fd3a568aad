import Foundation
import GRDB
import Hummingbird

/// `GET /api/v1/audit`: the tenant's audit trail for admins, filtered and paged, as JSON or CSV.
package struct AuditAPI {
    package var endpoints: [Endpoint<AuthenticatedContext>] {
        [
            Endpoint(
                .get(
                    "api/v1/audit",
                    "The audit trail, newest first",
                    action: Permissions.readAudit,
                    query: [
                        "user": (.text, "email"), "action": (.text, ""), "entity_type": (.text, ""), "entity_id": (.text, ""),
                        "from": (.timestamp, ""),
                        "to": (.timestamp, ""), "before": (.id, "next_before of the previous page"),
                        "limit": (.integer(minimum: 1, maximum: Int64(ListPage.maximumLimit)), ""),
                        "format": (.choice(["json", "csv"]), ""),
                    ],
                    response: .csvOrJSON(.freeForm)
                ),
                use: list
            )
        ]
    }

    package struct Entry: Encodable, Sendable {
        package var id: Int64
        package var at: String
        package var userId: Int64?
        package var userEmail: String?
        package var role: String?
        package var clientAddress: String?
        package var requestId: String?
        package var action: String
        package var entityType: String?
        package var entityId: String?
        package var changes: String?
    }

    package struct Page: Encodable {
        package var entries: [Entry]
        /// Pass as `before=` for the next (older) page; absent on the last page.
        package var nextBefore: Int64?
    }

    private func list(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let query = ListQuery(request)
        try query.finish()
        // A CSV export is every matching entry (up to `csvRows`) unless a limit is given; a JSON page is 50.
        let csv = query.choice("format") == "csv"
        let (limit, before) = (query.integer("limit") ?? (csv ? Self.csvRows : 50), query.id("before"))
        var conditions: [String] = []
        var arguments: StatementArguments = []
        for (parameter, column) in [("user", "user_email"), ("action", "action"), ("entity_type", "entity_type"), ("entity_id", "entity_id")] {
            if let value = query.text(parameter) {
                conditions.append("\(column) = ?")
                _ = arguments.append(contentsOf: [value])
            }
        }
        if let from = query.timestamp("from") {
            conditions.append("at >= ?")
            _ = arguments.append(contentsOf: [from])
        }
        if let to = query.timestamp("to") {
            conditions.append("at < ?")
            _ = arguments.append(contentsOf: [to])
        }
        if let before {
            conditions.append("id < ?")
            _ = arguments.append(contentsOf: [before])
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        _ = arguments.append(contentsOf: [limit + 1])
        let sql = "SELECT * FROM audit_log \(whereClause) ORDER BY id DESC LIMIT ?"
        let database = try await context.storage.database()
        if csv {
            // Thousands of rows: read and written out away from the event loops.
            let text = try await database.longRead { [arguments] db in
                Self.csv(try Row.fetchAll(db, sql: sql, arguments: arguments).prefix(limit).map(Self.entry))
            }
            return Response(
                status: .ok,
                headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"audit.csv\""],
                body: .init(byteBuffer: ByteBuffer(string: text))
            )
        }
        let rows = try await database.read { [arguments] db in try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.entry) }
        let entries = Array(rows.prefix(limit))
        return .json(Page(entries: entries, nextBefore: rows.count > limit ? entries.last?.id : nil))
    }

    /// The most entries one CSV export holds; older ones are exported with `before=`.
    package static let csvRows = 100_000

    private static func entry(_ row: Row) -> Entry {
        Entry(
            id: row["id"],
            at: row["at"],
            userId: row["user_id"],
            userEmail: row["user_email"],
            role: row["role"],
            clientAddress: row["client_address"],
            requestId: row["request_id"],
            action: row["action"],
            entityType: row["entity_type"],
            entityId: row["entity_id"],
            changes: row["changes"]
        )
    }

    private static func csv(_ entries: [Entry]) -> String {
        var text = "id,at,user_id,user_email,role,client_address,request_id,action,entity_type,entity_id,changes\r\n"
        for entry in entries {
            let fields: [String?] = [
                String(entry.id), entry.at, entry.userId.map(String.init), entry.userEmail, entry.role, entry.clientAddress, entry.requestId,
                entry.action,
                entry.entityType, entry.entityId, entry.changes,
            ]
            text += fields.map { CSV.field($0 ?? "") }.joined(separator: ",") + "\r\n"
        }
        return text
    }
}

/// RFC 4180 fields, and no formula injection when a spreadsheet opens the file.
package enum CSV {
    package static func field(_ value: String) -> String {
        var value = value
        if let first = value.first, "=+-@\t\r".contains(first) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
