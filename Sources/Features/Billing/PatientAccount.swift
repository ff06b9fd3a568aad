import ClinicBoxCore
import Foundation
import GRDB

/// What a patient owes or holds, from the documents themselves (nothing is kept as a running total that could
/// drift): issued invoices less what was credited on them and less their payers' shares, less the patient's
/// payments (a payer's remittances pay the payer's share), plus refunds.
package struct PatientAccount: Sendable, Equatable {
    /// What the issued invoices charge, less their credit notes.
    package var charged: Int64
    package var paid: Int64
    package var refunded: Int64
    /// What the invoices still ask for, each at least nothing.
    package var due: Int64

    /// Positive: the patient owes it; negative: the clinic holds it for them.
    package var balance: Int64 { charged - paid + refunded }
    /// Money the clinic holds for the patient, not yet settling anything: over-payments, and payments on lines
    /// credited since. It settles the next invoice or is refunded.
    package var credit: Int64 { due - balance }

    /// The patient's account from the documents of `branches` (a JSON array of codes; nil: every branch, which is
    /// what money decisions use — a refund or credit settles against everything the patient holds).
    package static func read(_ db: Database, patient id: Int64, branches: String? = nil) throws -> PatientAccount {
        let scope = "AND (?2 IS NULL OR branch IN (SELECT value FROM json_each(?2)))"
        let row = try db.fetchOneCached(
            """
            SELECT
                (SELECT coalesce(sum(total - credited - \(Self.payerPart)), 0) FROM invoices WHERE patient_id = ?1 AND status != 'draft' \(scope))
                    AS charged,
                (SELECT coalesce(sum(max(total - credited - paid - \(Claims.openShareSQL), 0)), 0) FROM invoices
                    WHERE patient_id = ?1 AND status != 'draft' \(scope)) AS due,
                (SELECT coalesce(sum(amount), 0) FROM payments WHERE patient_id = ?1 AND claim_id IS NULL \(scope)) AS paid,
                (SELECT coalesce(sum(amount), 0) FROM refunds WHERE patient_id = ?1 \(scope)) AS refunded
            """,
            [id, branches]
        )!
        return PatientAccount(charged: row["charged"], paid: row["paid"], refunded: row["refunded"], due: row["due"])
    }

    /// The part of an invoice (`invoices` in the query) that is its payer's, not the patient's: what its claim asks
    /// for, or, once the payer rejected it, only what the payer paid before.
    static let payerPart = """
        (SELECT coalesce(sum(CASE WHEN c.status = 'rejected' THEN c.paid ELSE c.amount END), 0) FROM claims c WHERE c.invoice_id = invoices.id)
        """

    /// `["main","north"]` for `branches`, nil for every branch.
    package static func branchList(_ branches: [String]?) -> String? {
        branches.map { String(decoding: (try? JSONEncoder().encode($0)) ?? Data("[]".utf8), as: UTF8.self) }
    }
}
