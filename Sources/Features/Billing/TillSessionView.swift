import ClinicBoxCore
import Foundation
import GRDB

/// One till session as the API and the pages show it: who, where, since when, and per method what was expected,
/// counted and the difference (expected so far, while it is open).
package struct TillSessionView: Sendable {
    package struct Method: Sendable {
        package var method: String
        package var expected: Int64
        package var counted: Int64?
        package var difference: Int64? { counted.map { $0 - expected } }
    }

    package var id: Int64
    package var branch: String
    package var cashierID: Int64
    package var cashierName: String
    package var openedAt: String
    package var openingFloat: Int64
    package var isOpen: Bool
    package var closedAt: String?
    package var reason: String?
    package var methods: [Method]

    package static func read(_ db: Database, id: Int64, sources: [TakingsSource]) throws -> TillSessionView {
        guard let row = try db.fetchOneCached("SELECT * FROM till_sessions WHERE id = ?", [id]) else { throw RecordChanges.notFound("till session") }
        let isOpen = row["status"] as String == "open"
        let methods: [Method]
        if isOpen {
            let expected = try TillSessions.expected(db, session: row, sources: sources, until: Timestamp.precise).amounts
            methods = TillSessions.methods.map { Method(method: $0, expected: expected[$0] ?? 0, counted: nil) }
        } else {
            methods = try Row.fetchAll(db, sql: "SELECT method, expected, counted FROM till_session_counts WHERE session_id = ?", arguments: [id])
                .map { Method(method: $0["method"], expected: $0["expected"], counted: $0["counted"]) }
                .sorted { (TillSessions.methods.firstIndex(of: $0.method) ?? 99) < (TillSessions.methods.firstIndex(of: $1.method) ?? 99) }
        }
        return TillSessionView(
            id: id,
            branch: row["branch"],
            cashierID: row["cashier_id"],
            cashierName: row["cashier_name"],
            openedAt: row["opened_at"],
            openingFloat: row["opening_float"],
            isOpen: isOpen,
            closedAt: row["closed_at"],
            reason: row["difference_reason"],
            methods: methods
        )
    }

    package var json: [String: Any] {
        var json: [String: Any] = [
            "id": id, "branch": branch, "cashier_id": cashierID, "cashier_name": cashierName, "opened_at": openedAt,
            "opening_float": openingFloat, "status": isOpen ? "open" : "closed", "closed_at": closedAt ?? NSNull(),
            "difference_reason": reason ?? NSNull(),
        ]
        json["methods"] = methods.map { method -> [String: Any] in
            [
                "method": method.method, "expected": method.expected, "counted": method.counted ?? NSNull(),
                "difference": method.difference ?? NSNull(),
            ]
        }
        return json
    }
}
