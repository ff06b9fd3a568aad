import ClinicBoxCore
import GRDB

/// Taking money, using a patient's credit on account, and paying money back. A payment settles the invoices it is
/// for, oldest first, each up to what it still asks; what is left is the patient's credit. Every step is one
/// transaction with its audit entry, and none of these records ever changes afterwards.
package enum Payments {
    package static let methods = ["cash", "card", "mobile_money", "bank_transfer", "insurer"]
    package static let refundMethods = ["cash", "card", "mobile_money", "bank_transfer"]
    /// One payment (`?`) as its page and its receipt show it: with who paid (name and number), who took it, what
    /// of it is credit on account (not settling an invoice) and what is not yet paid back.
    static let shownSQL = """
        SELECT p.*, (SELECT first_name || ' ' || last_name || ' (' || number || ')' FROM patients WHERE id = p.patient_id) AS patient,
            (SELECT display_name FROM users WHERE id = p.received_by) AS cashier,
            p.amount - (SELECT coalesce(sum(amount), 0) FROM payment_allocations WHERE payment_id = p.id) AS credit,
            p.amount - (SELECT coalesce(sum(amount), 0) FROM refunds WHERE payment_id = p.id) AS refundable
        FROM payments p WHERE p.id = ?
        """

    /// How a receipt or a statement names a method.
    static let methodText = [
        "cash": "Cash", "card": "Card", "mobile_money": "Mobile money", "bank_transfer": "Bank transfer", "insurer": "Insurer remittance",
    ]

    package struct Taking: Sendable {
        package var patientID: Int64
        package var branch: String
        package var method: String
        package var amount: Int64
        package var reference: String?
        /// The invoices it settles, in order; nil: the patient's open invoices, oldest first.
        package var invoiceIDs: [Int64]?
    }

    /// A mobile money transaction code as the confirmation message gives it (`QGH7XK2L9P`): 8–20 letters and
    /// digits, kept in capitals so the same code typed twice is recognised.
    package static func mobileMoneyReference(_ text: String) -> String? {
        let code = text.filter { !$0.isWhitespace }.uppercased()
        guard (8...20).contains(code.count), code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
        return code
    }

    package static let referenceShape = "must be the transaction code of the mobile money message, e.g. QGH7XK2L9P (8 to 20 letters and digits)"

    /// Records the payment and what it settles; answers its id.
    package static func take(_ db: Database, _ taking: Taking, branches: [String]?, terms: BillingTerms) throws -> Int64 {
        if taking.method == "mobile_money", let reference = taking.reference,
            let number = try String.fetchOne(
                db,
                sql: "SELECT number FROM payments WHERE method = 'mobile_money' AND reference = ?",
                arguments: [reference]
            )
        {
            throw Problem(
                .conflict,
                title: "Code already used",
                detail: "The mobile money code \(reference) was already taken as payment \(number); check the message again.",
                fieldErrors: ["reference": "was already used for payment \(number)"]
            )
        }
        let open = try openInvoices(db, patient: taking.patientID, only: taking.invoiceIDs, branches: branches)
        let number = try BillingNumbers.next(db, "RCT", on: terms.today)
        try db.execute(
            sql: """
                INSERT INTO payments (number, patient_id, branch, method, amount, currency, reference, received_on, received_by, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                number, taking.patientID, taking.branch, taking.method, taking.amount, terms.currency, taking.reference, terms.today.description,
                terms.userID, Timestamp.precise,
            ]
        )
        let paymentID = db.lastInsertedRowID
        var left = taking.amount
        for invoice in open where left > 0 {
            let part = min(left, invoice.due)
            try settle(db, invoice: invoice.id, amount: part, payment: paymentID, patient: taking.patientID, terms: terms)
            left -= part
        }
        var changes: [String: AuditChange] = [
            "number": .init(before: nil, after: number), "amount": .init(before: nil, after: String(taking.amount)),
            "method": .init(before: nil, after: taking.method),
        ]
        if left > 0 { changes["credit"] = .init(before: nil, after: String(left)) }
        if let reference = taking.reference { changes["reference"] = .init(before: nil, after: reference) }
        try AuditLog.record(
            db,
            actor: terms.actor,
            action: "billing.payment_taken",
            entityType: "payment",
            entityID: String(paymentID),
            changes: changes
        )
        return paymentID
    }

    /// Settles invoice `id` from the patient's credit on account, up to what it asks (or `amount`).
    package static func applyCredit(_ db: Database, invoice id: Int64, amount: Int64?, terms: BillingTerms) throws {
        let invoice = try InvoiceRecords.changes.current(db, id: id)
        let patient: Int64 = invoice["patient_id"]
        let open = try Int64.fetchOne(db, sql: "SELECT \(Claims.openShareSQL) FROM invoices WHERE id = ?", arguments: [id]) ?? 0
        let due = (invoice["total"] as Int64) - (invoice["credited"] as Int64) - (invoice["paid"] as Int64) - open
        let credit = try PatientAccount.read(db, patient: patient).credit
        guard invoice["status"] as String != "draft", due > 0, credit > 0 else {
            throw Problem(
                .conflict,
                title: "Nothing to settle",
                detail: due <= 0 || invoice["status"] as String == "draft"
                    ? "This invoice asks for nothing now." : "The patient has no credit on account."
            )
        }
        let part = min(amount ?? due, due, credit)
        try settle(db, invoice: id, amount: part, payment: nil, patient: patient, terms: terms)
        try AuditLog.record(
            db,
            actor: terms.actor,
            action: "billing.credit_used",
            entityType: "invoice",
            entityID: String(id),
            changes: ["paid": .init(before: String(invoice["paid"] as Int64), after: String((invoice["paid"] as Int64) + part))]
        )
    }

    /// Pays back `amount` of payment `id` by `method`: never more than is left of it, nor more than the clinic
    /// holds for the patient; above the tenant's refund limit only a manager may.
    package static func refund(_ db: Database, payment id: Int64, amount: Int64, method: String, reason: String, terms: BillingTerms) throws -> Int64
    {
        guard let payment = try db.fetchOneCached("SELECT * FROM payments WHERE id = ?", [id]) else { throw RecordChanges.notFound("payment") }
        let patient: Int64 = payment["patient_id"]
        guard payment["claim_id"] as Int64? == nil else {
            throw Problem(
                .conflict,
                title: "A payer's remittance",
                detail: "Payment \(payment["number"] as String) is a payer's remittance for a claim; it is not paid back to the patient."
            )
        }
        let refunded = try Int64.fetchOne(db, sql: "SELECT coalesce(sum(amount), 0) FROM refunds WHERE payment_id = ?", arguments: [id]) ?? 0
        let left = (payment["amount"] as Int64) - refunded
        let credit = try PatientAccount.read(db, patient: patient).credit
        if amount > left {
            throw Problem.invalid("amount", "is more than is left of payment \(payment["number"] as String) (\(terms.money(left)))")
        }
        if amount > credit {
            throw Problem(
                .conflict,
                title: "Money still owed",
                detail:
                    "The clinic holds \(terms.money(max(credit, 0))) for this patient; the rest of the payment settles invoices. Credit them first.",
                fieldErrors: ["amount": "is more than the patient's credit on account (\(terms.money(max(credit, 0))))"]
            )
        }
        let needsManager = terms.rules.refundLimit.map { amount > $0 } ?? true
        if needsManager && !terms.mayApprove {
            let limit = terms.rules.refundLimit.map { "over \(terms.money($0))" } ?? "of any amount"
            throw Problem(
                .forbidden,
                title: "A manager's approval is needed",
                detail: "A refund \(limit) needs a manager.",
                fieldErrors: ["amount": "a refund \(limit) needs a manager"]
            )
        }
        let number = try BillingNumbers.next(db, "RF", on: terms.today)
        try db.execute(
            sql: """
                INSERT INTO refunds (number, payment_id, patient_id, branch, method, amount, reason, refunded_on, refunded_by, approved_by, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                number, id, patient, payment["branch"] as String, method, amount, reason, terms.today.description, terms.userID,
                needsManager ? terms.userID : nil, Timestamp.precise,
            ]
        )
        let refundID = db.lastInsertedRowID
        try AuditLog.record(
            db,
            actor: terms.actor,
            action: "billing.refund_paid",
            entityType: "payment",
            entityID: String(id),
            changes: [
                "refund": .init(before: nil, after: number), "amount": .init(before: nil, after: String(amount)),
                "reason": .init(before: nil, after: reason),
            ]
        )
        return refundID
    }

    private struct OpenInvoice {
        var id: Int64
        var due: Int64
    }

    /// The invoices a payment settles: those named (each this patient's, issued and visible), or every open one, oldest first.
    private static func openInvoices(_ db: Database, patient: Int64, only ids: [Int64]?, branches: [String]?) throws -> [OpenInvoice] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT id, number, status, branch, total - credited - paid - \(Claims.openShareSQL) AS due FROM invoices
                WHERE patient_id = ? AND status != 'draft' ORDER BY issued_on, id
                """,
            arguments: [patient]
        )
        let visible = rows.filter { branches?.contains($0["branch"]) ?? true }
        guard let ids else { return visible.filter { $0["due"] as Int64 > 0 }.map { OpenInvoice(id: $0["id"], due: $0["due"]) } }
        var errors: [String: String] = [:]
        var chosen: [OpenInvoice] = []
        for (index, id) in ids.enumerated() {
            guard let row = visible.first(where: { $0["id"] as Int64 == id }) else {
                errors["invoices[\(index)]"] = "is not an issued invoice of this patient"
                continue
            }
            guard row["due"] as Int64 > 0 else {
                errors["invoices[\(index)]"] = "\(row["number"] as String) asks for nothing now"
                continue
            }
            chosen.append(OpenInvoice(id: id, due: row["due"]))
        }
        guard errors.isEmpty else {
            throw Problem.invalid(errors)
        }
        return chosen
    }

    /// Adds `amount` to what invoice `id` has been paid, from a payment or (`payment` nil) from credit on account.
    static func settle(_ db: Database, invoice id: Int64, amount: Int64, payment: Int64?, patient: Int64, terms: BillingTerms) throws {
        try db.execute(
            sql: "INSERT INTO payment_allocations (invoice_id, payment_id, patient_id, amount, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [id, payment, patient, amount, terms.userID, Timestamp.now]
        )
        try db.execute(
            sql: """
                UPDATE invoices SET paid = paid + ?1,
                    status = CASE WHEN paid + ?1 >= total - credited THEN 'paid' ELSE 'part_paid' END,
                    version = version + 1, updated_at = ?2
                WHERE id = ?3
                """,
            arguments: [amount, Timestamp.now, id]
        )
    }
}
