import ClinicBoxCore
import GRDB

/// Cancelling what an issued invoice charged, whole or line by line, by a credit note of its own numbered series
/// (`CN-2026-000007`) that names the invoice and the reason. The invoice itself never changes but for what is
/// credited on it; a line is credited once.
package enum CreditNotes {
    /// Credits `lineIDs` of invoice `id` (every line not yet credited when nil) and answers the credit note's id.
    package static func issue(_ db: Database, invoice id: Int64, lineIDs: [Int64]?, reason: String, terms: BillingTerms) throws -> Int64 {
        let invoice = try InvoiceRecords.changes.current(db, id: id)
        let number: String? = invoice["number"]
        guard let number else {
            throw Problem(.conflict, title: "Not issued", detail: "A draft is changed, not credited; only an issued invoice takes a credit note.")
        }
        // What the payer's share becomes is the payer's answer to decide first; crediting under an open claim would
        // leave the claim asking for lines that no longer stand.
        if let claim = try String.fetchOne(
            db,
            sql: "SELECT number FROM claims WHERE invoice_id = ? AND status IN ('to_submit', 'submitted', 'part_paid')",
            arguments: [id]
        ) {
            throw Problem(
                .conflict,
                title: "Claim open",
                detail: "Claim \(claim) for the payer's share of \(number) is open; record the payer's answer (paid or rejected) before crediting."
            )
        }
        let open = try Row.fetchAll(
            db,
            sql: """
                SELECT invoice_lines.id, invoice_lines.position, invoice_lines.net, invoice_lines.tax, invoice_lines.total, credit_notes.number AS credited_by
                FROM invoice_lines
                LEFT JOIN credit_note_lines ON credit_note_lines.invoice_line_id = invoice_lines.id
                LEFT JOIN credit_notes ON credit_notes.id = credit_note_lines.credit_note_id
                WHERE invoice_lines.invoice_id = ? ORDER BY invoice_lines.position
                """,
            arguments: [id]
        )
        let chosen: [Row]
        if let lineIDs {
            var errors: [String: String] = [:]
            for (index, lineID) in lineIDs.enumerated() {
                guard let line = open.first(where: { $0["id"] as Int64 == lineID }) else {
                    errors["lines[\(index)]"] = "is not a line of invoice \(number)"
                    continue
                }
                if let by = line["credited_by"] as String? {
                    errors["lines[\(index)]"] = "line \(line["position"] as Int64) is already credited by \(by)"
                }
            }
            guard errors.isEmpty else {
                throw Problem(
                    .conflict,
                    title: "Cannot credit these lines",
                    detail: errors.values.sorted().joined(separator: "; "),
                    fieldErrors: errors
                )
            }
            chosen = open.filter { lineIDs.contains($0["id"]) }
        } else {
            chosen = open.filter { ($0["credited_by"] as String?) == nil }
        }
        let total = chosen.reduce(0) { $0 + ($1["total"] as Int64) }
        guard !chosen.isEmpty, total > 0 else {
            throw Problem(.conflict, title: "Nothing to credit", detail: "Every line of invoice \(number) is already credited, or comes to nothing.")
        }
        let creditNumber = try BillingNumbers.next(db, "CN", on: terms.today)
        try db.execute(
            sql: """
                INSERT INTO credit_notes (invoice_id, number, issued_on, reason, net, tax, total, created_by, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                id, creditNumber, terms.today.description, reason, chosen.reduce(0) { $0 + ($1["net"] as Int64) },
                chosen.reduce(0) { $0 + ($1["tax"] as Int64) }, total, terms.userID, Timestamp.precise,
            ]
        )
        let creditID = db.lastInsertedRowID
        for line in chosen {
            try db.execute(
                sql: "INSERT INTO credit_note_lines (credit_note_id, invoice_line_id, net, tax, total) VALUES (?, ?, ?, ?, ?)",
                arguments: [creditID, line["id"] as Int64, line["net"] as Int64, line["tax"] as Int64, line["total"] as Int64]
            )
        }
        // Credited work can be billed again, rightly this time.
        for line in chosen { try db.execute(sql: "DELETE FROM billed_sources WHERE invoice_line_id = ?", arguments: [line["id"] as Int64]) }
        let credited = (invoice["credited"] as Int64) + total
        let (charged, paid): (Int64, Int64) = (invoice["total"], invoice["paid"])
        let status = credited == charged ? "credited" : paid >= charged - credited ? "paid" : invoice["status"] as String
        try db.execute(
            sql: "UPDATE invoices SET credited = ?, status = ?, version = version + 1, updated_at = ? WHERE id = ?",
            arguments: [credited, status, Timestamp.now, id]
        )
        try AuditLog.record(
            db,
            actor: terms.actor,
            action: "billing.invoice_credited",
            entityType: "invoice",
            entityID: String(id),
            changes: [
                "credit_note": .init(before: nil, after: creditNumber),
                "credited": .init(before: String(invoice["credited"] as Int64), after: String(credited)),
                "reason": .init(before: nil, after: reason),
            ]
        )
        return creditID
    }
}
