import ClinicBoxCore
import GRDB

/// Cash-up: a cashier opens their till in a branch with a float, and closes it by counting what is there per
/// method; what was expected comes from every module's takings (`TakingsSource`) between opening and closing.
/// A difference is recorded with a reason, and a closed session never changes.
package enum TillSessions {
    package static let methods = Payments.methods

    package struct Expected: Sendable, Equatable {
        /// Method → amount; cash includes the opening float.
        package var amounts: [String: Int64]
    }

    /// Opens the cashier's session in `branch`; one is open at a time there.
    package static func open(_ db: Database, branch: String, float: Int64, terms: BillingTerms, name: String) throws -> Int64 {
        if let open = try Int64.fetchOne(
            db,
            sql: "SELECT id FROM till_sessions WHERE branch = ? AND cashier_id = ? AND status = 'open'",
            arguments: [branch, terms.userID]
        ) {
            throw Problem(
                .conflict,
                title: "Till already open",
                detail: "Your till in this branch is already open (session \(open)); close it first."
            )
        }
        try db.execute(
            sql: """
                INSERT INTO till_sessions (branch, cashier_id, cashier_name, opened_on, opened_at, opening_float, status)
                VALUES (?, ?, ?, ?, ?, ?, 'open')
                """,
            arguments: [branch, terms.userID, name, terms.today.description, Timestamp.precise, float]
        )
        let id = db.lastInsertedRowID
        try AuditLog.record(
            db,
            actor: terms.actor,
            action: "billing.till_opened",
            entityType: "till_session",
            entityID: String(id),
            changes: ["branch": .init(before: nil, after: branch), "opening_float": .init(before: nil, after: String(float))]
        )
        return id
    }

    /// What the session should hold per method, up to `until` (now for an open one).
    package static func expected(_ db: Database, session: Row, sources: [TakingsSource], until: String) throws -> Expected {
        var amounts = Dictionary(uniqueKeysWithValues: methods.map { ($0, Int64(0)) })
        amounts["cash"] = session["opening_float"]
        let arguments: StatementArguments = [
            "branch": session["branch"] as String, "cashier": session["cashier_id"] as Int64, "from": session["opened_at"] as String, "to": until,
        ]
        for source in sources {
            for row in try Row.fetchAll(db, sql: source.query, arguments: arguments) {
                amounts[row[0] as String, default: 0] += row[1] as Int64
            }
        }
        return Expected(amounts: amounts)
    }

    /// Closes session `id` with what was counted per method; a difference needs `reason`.
    package static func close(
        _ db: Database,
        id: Int64,
        counted: [String: Int64],
        reason: String?,
        sources: [TakingsSource],
        terms: BillingTerms,
        mayCloseOthers: Bool
    ) throws {
        guard let session = try db.fetchOneCached("SELECT * FROM till_sessions WHERE id = ?", [id]) else {
            throw RecordChanges.notFound("till session")
        }
        guard session["status"] as String == "open" else {
            throw Problem(.conflict, title: "Already closed", detail: "This till session is closed and never changes.")
        }
        guard session["cashier_id"] as Int64 == terms.userID || mayCloseOthers else {
            throw Problem(.forbidden, title: "Not your till", detail: "Only the cashier who opened a till, or a manager, closes it.")
        }
        let now = Timestamp.precise
        let expected = try Self.expected(db, session: session, sources: sources, until: now).amounts
        let differs = methods.contains { (counted[$0] ?? 0) != (expected[$0] ?? 0) }
        if differs, (reason ?? "").isEmpty {
            let first = methods.first { (counted[$0] ?? 0) != (expected[$0] ?? 0) }!
            throw Problem(
                .unprocessableContent,
                title: "Say why it differs",
                detail: "What was counted differs from what was expected; say why before closing.",
                fieldErrors: [
                    "reason":
                        "is required: \(first.replacingOccurrences(of: "_", with: " ")) counted \(terms.money(counted[first] ?? 0)), expected \(terms.money(expected[first] ?? 0))"
                ]
            )
        }
        for method in methods {
            try db.execute(
                sql: "INSERT INTO till_session_counts (session_id, method, expected, counted) VALUES (?, ?, ?, ?)",
                arguments: [id, method, expected[method] ?? 0, counted[method] ?? 0]
            )
        }
        try db.execute(
            sql: "UPDATE till_sessions SET status = 'closed', closed_at = ?, difference_reason = ? WHERE id = ?",
            arguments: [now, differs ? reason : nil, id]
        )
        let difference = methods.reduce(Int64(0)) { $0 + (counted[$1] ?? 0) - (expected[$1] ?? 0) }
        try AuditLog.record(
            db,
            actor: terms.actor,
            action: "billing.till_closed",
            entityType: "till_session",
            entityID: String(id),
            changes: ["difference": .init(before: nil, after: String(difference))].merging(
                differs ? ["reason": .init(before: nil, after: reason)] : [:]
            ) { $1 }
        )
    }
}
