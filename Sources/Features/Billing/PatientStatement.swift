import ClinicBoxCore
import Foundation
import GRDB

/// A patient's statement: every invoice, credit note, payment and refund in date order with the balance after
/// each, read from the reader's branches (an admin's: all). The totals are `PatientAccount`'s. The entries and
/// their running balance come from one query (a window sum), so the API's answer is rendered by SQLite.
package struct PatientStatement: Sendable {
    package struct Entry: Sendable {
        /// The document's id among its kind (`kind`).
        package var id: Int64
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

    /// `id, day, kind, number, description, amount, balance` of patient ?1 in branches ?2 (a JSON array, or NULL for all).
    static let entriesSQL: String = {
        func scope(_ column: String) -> String { "AND (?2 IS NULL OR \(column) IN (SELECT value FROM json_each(?2)))" }
        return """
            SELECT id, day, kind, number,
                CASE kind WHEN 'invoice' THEN 'Invoice' WHEN 'credit_note' THEN 'Credit note' WHEN 'payment' THEN 'Payment'
                    WHEN 'claim' THEN 'Claimed from the payer' WHEN 'claim_rejected' THEN 'Claim rejected' ELSE 'Refund' END
                    || CASE WHEN detail != '' THEN ', ' || detail ELSE '' END AS description,
                amount, sum(amount) OVER (ORDER BY day, at, number ROWS UNBOUNDED PRECEDING) AS balance
            FROM (
                SELECT id, issued_on AS day, issued_at AS at, 'invoice' AS kind, number, total AS amount, '' AS detail FROM invoices
                    WHERE patient_id = ?1 AND status != 'draft' \(scope("branch"))
                UNION ALL
                SELECT c.id, c.issued_on, c.created_at, 'credit_note', c.number, -c.total, 'for ' || i.number || ': ' || c.reason FROM credit_notes c
                    JOIN invoices i ON i.id = c.invoice_id WHERE i.patient_id = ?1 \(scope("i.branch"))
                UNION ALL
                SELECT id, received_on, created_at, 'payment', number, -amount, replace(method, '_', ' ') || coalesce(' ' || reference, '') FROM payments
                    WHERE patient_id = ?1 AND claim_id IS NULL \(scope("branch"))
                UNION ALL
                SELECT c.id, i.issued_on, i.issued_at || '+', 'claim', c.number, -c.amount, c.payer || ', member ' || c.member_number || ', for ' || i.number
                    FROM claims c JOIN invoices i ON i.id = c.invoice_id WHERE i.patient_id = ?1 \(scope("i.branch"))
                UNION ALL
                SELECT c.id, coalesce(c.rejected_on, substr(c.updated_at, 1, 10)), c.updated_at, 'claim_rejected', c.number, c.amount - c.paid, c.rejection_reason
                    FROM claims c JOIN invoices i ON i.id = c.invoice_id WHERE i.patient_id = ?1 AND c.status = 'rejected' \(scope("i.branch"))
                UNION ALL
                SELECT id, refunded_on, created_at, 'refund', number, amount, replace(method, '_', ' ') || ': ' || reason FROM refunds
                    WHERE patient_id = ?1 \(scope("branch"))
            )
            ORDER BY day, at, number
            """
    }()

    static let entriesJSON = """
        SELECT json_group_array(json_object('day', day, 'kind', kind, 'number', number, 'description', description, 'amount', amount,
            'balance', balance)) FROM (\(entriesSQL))
        """

    package static func read(_ db: Database, patient id: Int64, branches: [String]?) throws -> PatientStatement {
        let scope = PatientAccount.branchList(branches)
        let entries = try db.fetchAllCached(entriesSQL, [id, scope]).map { row in
            Entry(
                id: row["id"],
                day: row["day"],
                kind: row["kind"],
                number: row["number"],
                description: row["description"],
                amount: row["amount"],
                balance: row["balance"]
            )
        }
        return PatientStatement(entries: entries, account: try PatientAccount.read(db, patient: id, branches: scope))
    }

    /// The API's answer, the entries rendered by SQLite.
    package static func json(_ db: Database, patient id: Int64, branches: [String]?) throws -> String {
        let scope = PatientAccount.branchList(branches)
        let account = try PatientAccount.read(db, patient: id, branches: scope)
        let entries = try db.fetchCached(String.self, entriesJSON, [id, scope]) ?? "[]"
        return """
            {"balance":\(account.balance),"credit":\(account.credit),"due":\(account.due),"entries":\(entries),"patient_id":\(id)}
            """
    }
}
