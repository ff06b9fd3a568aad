import ClinicBoxCore
import Foundation
import GRDB

/// A patient's statement: every invoice, credit note, payment and refund in date order with the balance after
/// each, read from the reader's branches (an admin's: all). The totals are `PatientAccount`'s.
package struct PatientStatement: Sendable {
    package struct Entry: Sendable {
        package var day: String
        package var kind: String
        package var number: String
        package var description: String
        /// Positive: charged to the patient; negative: paid or credited.
        package var amount: Int64
        package var balance: Int64
    }

    package var entries: [Entry]
    package var account: PatientAccount

    package static func read(_ db: Database, patient id: Int64, branches: [String]?) throws -> PatientStatement {
        // ?2: the reader's branches as a JSON array, or NULL for every branch.
        func scope(_ column: String) -> String { "AND (?2 IS NULL OR \(column) IN (SELECT value FROM json_each(?2)))" }
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT issued_on AS day, issued_at AS at, 'invoice' AS kind, number, total AS amount, '' AS detail FROM invoices
                    WHERE patient_id = ?1 AND status != 'draft' \(scope("branch"))
                UNION ALL
                SELECT c.issued_on, c.created_at, 'credit_note', c.number, -c.total, 'for ' || i.number || ': ' || c.reason FROM credit_notes c
                    JOIN invoices i ON i.id = c.invoice_id WHERE i.patient_id = ?1 \(scope("i.branch"))
                UNION ALL
                SELECT received_on, created_at, 'payment', number, -amount, method || coalesce(' ' || reference, '') FROM payments
                    WHERE patient_id = ?1 \(scope("branch"))
                UNION ALL
                SELECT refunded_on, created_at, 'refund', number, amount, method || ': ' || reason FROM refunds
                    WHERE patient_id = ?1 \(scope("branch"))
                ORDER BY day, at, number
                """,
            arguments: [id, PatientAccount.branchList(branches)]
        )
        var balance: Int64 = 0
        let entries = rows.map { row in
            balance += row["amount"] as Int64
            let kind: String = row["kind"]
            let detail: String = row["detail"]
            return Entry(
                day: row["day"],
                kind: kind,
                number: row["number"],
                description: [Self.words[kind] ?? kind, detail].filter { !$0.isEmpty }.joined(separator: ", "),
                amount: row["amount"],
                balance: balance
            )
        }
        return PatientStatement(entries: entries, account: try PatientAccount.read(db, patient: id, branches: PatientAccount.branchList(branches)))
    }

    static let words = ["invoice": "Invoice", "credit_note": "Credit note", "payment": "Payment", "refund": "Refund"]

    package var json: [String: Any] {
        [
            "balance": account.balance, "due": account.due, "credit": account.credit,
            "entries": entries.map {
                ["day": $0.day, "kind": $0.kind, "number": $0.number, "description": $0.description, "amount": $0.amount, "balance": $0.balance]
                    as [String: Any]
            },
        ]
    }
}
