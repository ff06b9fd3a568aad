import ClinicBoxCore
import GRDB

/// A payer's share of an issued invoice, claimed from the payer and followed to its answer. Issuing an invoice
/// for a payer opens the claim (`to_submit`); the desk marks it submitted, records what the payer remits (each
/// remittance a payment by `insurer` that settles the invoice, and the claim `part_paid` or `paid`), or records
/// its rejection with the payer's reason — what was not paid is then the patient's to pay. Each answer is one
/// transaction with its event and audit entry; a paid or rejected claim is closed.
package enum Claims {
    package static let statuses = ["to_submit", "submitted", "part_paid", "paid", "rejected"]
    package static let statusText = [
        "to_submit": "To submit", "submitted": "Submitted", "part_paid": "Part paid", "paid": "Paid", "rejected": "Rejected",
    ]

    /// What is still claimed on an invoice (`invoices` in the query): the unpaid part of its open claim. It is not
    /// the patient's to pay while the payer has not answered.
    package static let openShareSQL = """
        (SELECT coalesce(sum(c.amount - c.paid), 0) FROM claims c WHERE c.invoice_id = invoices.id AND c.status IN ('to_submit', 'submitted', 'part_paid'))
        """

    /// Opens the claim for the payer's share of invoice `id`, when it has one (at issue, in the same transaction).
    static func open(_ db: Database, invoice id: Int64, terms: BillingTerms) throws {
        guard let invoice = try Row.fetchOne(db, sql: "SELECT payer, member_number, payer_total FROM invoices WHERE id = ?", arguments: [id]),
            let payer = invoice["payer"] as String?, invoice["payer_total"] as Int64 > 0
        else { return }
        let number = try BillingNumbers.next(db, "CLM", on: terms.today)
        let now = Timestamp.now
        try db.execute(
            sql: """
                INSERT INTO claims (number, invoice_id, payer, member_number, amount, status, version, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, 'to_submit', 1, ?, ?)
                """,
            arguments: [number, id, payer, invoice["member_number"] as String, invoice["payer_total"] as Int64, now, now]
        )
        try event(db, claim: db.lastInsertedRowID, status: "to_submit", amount: invoice["payer_total"], note: nil, terms: terms)
    }

    /// The claim is sent to the payer (today).
    package static func submit(_ db: Database, claim id: Int64, version: Int64, terms: BillingTerms) throws {
        let claim = try current(db, id: id, version: version, from: ["to_submit"], doing: "mark submitted")
        try db.execute(
            sql: "UPDATE claims SET status = 'submitted', submitted_on = ?, version = version + 1, updated_at = ? WHERE id = ?",
            arguments: [terms.today.description, Timestamp.now, id]
        )
        try event(db, claim: id, status: "submitted", amount: nil, note: nil, terms: terms)
        try audit(db, "billing.claim_submitted", claim: claim, changes: ["status": .init(before: "to_submit", after: "submitted")], terms: terms)
    }

    /// The payer remitted `amount` (default: all that is still claimed), with its remittance `reference`: a payment
    /// by `insurer` settles the invoice, and the claim is paid when nothing is left of it.
    package static func remit(_ db: Database, claim id: Int64, version: Int64, amount: Int64?, reference: String?, terms: BillingTerms) throws {
        let claim = try current(db, id: id, version: version, from: ["to_submit", "submitted", "part_paid"], doing: "record a remittance for")
        let left = (claim["amount"] as Int64) - (claim["paid"] as Int64)
        let paid = amount ?? left
        guard paid > 0, paid <= left else {
            throw Problem.invalid("amount", "must be more than nothing and at most what is still claimed (\(terms.money(left)))")
        }
        let invoice = try InvoiceRecords.changes.current(db, id: claim["invoice_id"])
        let number = try BillingNumbers.next(db, "RCT", on: terms.today)
        try db.execute(
            sql: """
                INSERT INTO payments (number, patient_id, branch, method, amount, currency, reference, received_on, received_by, created_at, claim_id)
                VALUES (?, ?, ?, 'insurer', ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                number, invoice["patient_id"] as Int64, invoice["branch"] as String, paid, terms.currency, reference, terms.today.description,
                terms.userID, Timestamp.precise, id,
            ]
        )
        let payment = db.lastInsertedRowID
        try Payments.settle(db, invoice: invoice["id"], amount: paid, payment: payment, patient: invoice["patient_id"], terms: terms)
        let status = paid == left ? "paid" : "part_paid"
        try db.execute(
            sql: "UPDATE claims SET status = ?, paid = paid + ?, version = version + 1, updated_at = ? WHERE id = ?",
            arguments: [status, paid, Timestamp.now, id]
        )
        try event(db, claim: id, status: status, amount: paid, note: reference, terms: terms)
        try audit(
            db,
            "billing.claim_paid",
            claim: claim,
            changes: [
                "paid": .init(before: String(claim["paid"] as Int64), after: String((claim["paid"] as Int64) + paid)),
                "receipt": .init(before: nil, after: number),
            ],
            terms: terms
        )
    }

    /// The payer refused (the rest of) the claim, for `reason`; what it did not pay is the patient's to pay.
    package static func reject(_ db: Database, claim id: Int64, version: Int64, reason: String, terms: BillingTerms) throws {
        let claim = try current(db, id: id, version: version, from: ["to_submit", "submitted", "part_paid"], doing: "record a rejection for")
        try db.execute(
            sql: "UPDATE claims SET status = 'rejected', rejection_reason = ?, rejected_on = ?, version = version + 1, updated_at = ? WHERE id = ?",
            arguments: [reason, terms.today.description, Timestamp.now, id]
        )
        try event(db, claim: id, status: "rejected", amount: (claim["amount"] as Int64) - (claim["paid"] as Int64), note: reason, terms: terms)
        try audit(
            db,
            "billing.claim_rejected",
            claim: claim,
            changes: ["status": .init(before: claim["status"], after: "rejected"), "reason": .init(before: nil, after: reason)],
            terms: terms
        )
    }

    /// The claim at `version`, in one of the statuses `from`; otherwise a `409` saying why nothing changed.
    private static func current(_ db: Database, id: Int64, version: Int64, from: [String], doing: String) throws -> Row {
        guard let claim = try Row.fetchOne(db, sql: "SELECT * FROM claims WHERE id = ?", arguments: [id]) else {
            throw RecordChanges.notFound("claim")
        }
        guard from.contains(claim["status"]) else {
            let status = statusText[claim["status"] as String]?.lowercased() ?? ""
            throw Problem(.conflict, title: "Claim \(status)", detail: "Claim \(claim["number"] as String) is \(status); you cannot \(doing) it.")
        }
        guard claim["version"] as Int64 == version else {
            throw Problem.stale("claim", current: claim["version"], yours: version, then: "read it again")
        }
        return claim
    }

    private static func event(_ db: Database, claim: Int64, status: String, amount: Int64?, note: String?, terms: BillingTerms) throws {
        try db.execute(
            sql: "INSERT INTO claim_events (claim_id, status, amount, note, by, at) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [claim, status, amount, note, terms.userID, Timestamp.now]
        )
    }

    private static func audit(_ db: Database, _ action: String, claim: Row, changes: [String: AuditChange], terms: BillingTerms) throws {
        try AuditLog.record(db, actor: terms.actor, action: action, entityType: "claim", entityID: String(claim["id"] as Int64), changes: changes)
    }
}
