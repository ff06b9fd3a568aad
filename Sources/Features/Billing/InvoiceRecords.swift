import ClinicBoxCore
import GRDB

/// Writing invoices, shared by the JSON API and the pages: a draft is made and changed whole (its lines priced
/// again each time), then issued with the next number of its year; after that it only grows in what is paid and
/// credited. Each change is one transaction with its audit entry.
package enum InvoiceRecords {
    package static let changes = RecordChanges(table: "invoices", entity: "invoice")

    /// Makes a draft and answers its id.
    package static func create(_ db: Database, _ draft: InvoiceDraft, branch: String, terms: BillingTerms) throws -> Int64 {
        guard let patientID = draft.patientID else { throw Problem.invalid("patient_id", "is required") }
        try requireBillablePatient(db, patientID)
        let priced = try PricedInvoice(
            db,
            patient: patientID,
            lines: draft.lines ?? [],
            discount: draft.discount,
            discountReason: draft.discountReason,
            terms: terms,
            approvals: .none
        )
        let split = try PayerSplit.decide(
            db,
            payer: draft.payer,
            patient: patientID,
            asked: draft.lines ?? [],
            charged: priced.charges.lines,
            terms: terms
        )
        let now = Timestamp.now
        try db.execute(
            sql: """
                INSERT INTO invoices (patient_id, branch, status, currency, prices_include_tax, discount, discount_reason, discount_approved_by,
                    subtotal, discount_total, tax, total, buyer_tax_number, notes, payer, member_number, payer_total, created_by, version,
                    created_at, updated_at)
                VALUES (?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)
                """,
            arguments: [
                patientID, branch, terms.currency, terms.tax.pricesIncludeTax, priced.discount, priced.discountReason, priced.discountApprovedBy,
                priced.charges.subtotal, priced.charges.discount, priced.charges.tax, priced.charges.total, draft.buyerTaxNumber, draft.notes,
                split?.payer.code, split?.memberNumber, split?.total ?? 0, terms.userID, now, now,
            ]
        )
        let id = db.lastInsertedRowID
        try writeLines(db, invoice: id, priced, split: split)
        try AuditLog.record(
            db,
            actor: terms.actor,
            action: "billing.invoice_drafted",
            entityType: "invoice",
            entityID: String(id),
            changes: [
                "total": .init(before: nil, after: String(priced.charges.total)), "lines": .init(before: nil, after: String(priced.lines.count)),
            ]
        )
        return id
    }

    /// Changes a draft at `version`: what `draft` names, its lines priced again (the price list as it is now).
    package static func update(_ db: Database, id: Int64, version: Int64, _ draft: InvoiceDraft, terms: BillingTerms) throws {
        let row = try requireDraft(db, id: id, version: version)
        let lines = try draft.lines ?? draftLines(db, invoice: id, payers: terms.payers)
        let discount = draft.discount ?? .amount(row["discount"])
        let reason: String? = draft.named.contains("discount_reason") ? draft.discountReason : row["discount_reason"]
        let priced = try PricedInvoice(
            db,
            patient: row["patient_id"],
            lines: lines,
            discount: discount,
            discountReason: reason,
            terms: terms,
            approvals: try approvals(db, row)
        )
        let split = try PayerSplit.decide(
            db,
            payer: draft.named.contains("payer") ? draft.payer : row["payer"],
            patient: row["patient_id"],
            asked: lines,
            charged: priced.charges.lines,
            terms: terms
        )
        let now = Timestamp.now
        try db.execute(
            sql: """
                UPDATE invoices SET prices_include_tax = ?, discount = ?, discount_reason = ?, discount_approved_by = ?, subtotal = ?,
                    discount_total = ?, tax = ?, total = ?, buyer_tax_number = ?, notes = ?, payer = ?, member_number = ?, payer_total = ?,
                    version = version + 1, updated_at = ?
                WHERE id = ? AND version = ?
                """,
            arguments: [
                terms.tax.pricesIncludeTax, priced.discount, priced.discountReason, priced.discountApprovedBy, priced.charges.subtotal,
                priced.charges.discount, priced.charges.tax, priced.charges.total,
                draft.named.contains("buyer_tax_number") ? draft.buyerTaxNumber : row["buyer_tax_number"],
                draft.named.contains("notes") ? draft.notes : row["notes"], split?.payer.code, split?.memberNumber, split?.total ?? 0, now, id,
                version,
            ]
        )
        try db.execute(
            sql: "DELETE FROM billed_sources WHERE invoice_line_id IN (SELECT id FROM invoice_lines WHERE invoice_id = ?)",
            arguments: [id]
        )
        try db.execute(sql: "DELETE FROM invoice_lines WHERE invoice_id = ?", arguments: [id])
        try writeLines(db, invoice: id, priced, split: split)
        try AuditLog.record(
            db,
            actor: terms.actor,
            action: "billing.invoice_changed",
            entityType: "invoice",
            entityID: String(id),
            changes: ["total": .init(before: String(row["total"] as Int64), after: String(priced.charges.total))]
        )
    }

    /// Issues a draft: the next number of the year and today's date, in the same transaction; it never changes again.
    package static func issue(_ db: Database, id: Int64, version: Int64, terms: BillingTerms) throws -> String {
        let row = try requireDraft(db, id: id, version: version)
        guard try Int.fetchOne(db, sql: "SELECT count(*) FROM invoice_lines WHERE invoice_id = ?", arguments: [id]) ?? 0 > 0 else {
            throw Problem(.conflict, title: "Nothing to bill", detail: "An invoice needs at least one line before it is issued.")
        }
        try PayerSplit.requirePreauthorisations(db, invoice: id, payers: terms.payers)
        let number = try BillingNumbers.next(db, "INV", on: terms.today)
        let status = row["total"] as Int64 == 0 ? "paid" : "issued"
        try db.execute(
            sql: """
                UPDATE invoices SET status = ?, number = ?, issued_on = ?, issued_at = ?, issued_by = ?, version = version + 1, updated_at = ?
                WHERE id = ?
                """,
            arguments: [status, number, terms.today.description, Timestamp.precise, terms.userID, Timestamp.now, id]
        )
        try AuditLog.record(
            db,
            actor: terms.actor,
            action: "billing.invoice_issued",
            entityType: "invoice",
            entityID: String(id),
            changes: ["number": .init(before: nil, after: number), "total": .init(before: nil, after: String(row["total"] as Int64))]
        )
        try Claims.open(db, invoice: id, terms: terms)
        return number
    }

    /// The lines of a stored draft as a request would ask for them, to change one and price them all again. A
    /// payer's share that is the payer's usual percentage stays that percentage; one set apart stays as it is.
    package static func draftLines(_ db: Database, invoice id: Int64, payers: [TenantDefinition.Payer]) throws -> [InvoiceDraft.Line] {
        let payer = try String.fetchOne(db, sql: "SELECT payer FROM invoices WHERE id = ?", arguments: [id]).flatMap { code in
            payers.first { $0.code == code }
        }
        return try Row.fetchAll(db, sql: "SELECT * FROM invoice_lines WHERE invoice_id = ? ORDER BY position", arguments: [id]).map { row in
            var line = InvoiceDraft.Line()
            line.source = row["source"]
            line.serviceID = row["service_id"]
            if line.serviceID == nil, line.source == nil {
                (line.description, line.unitPrice, line.reason, line.taxClass) = (
                    row["description"], row["unit_price"], row["reason"], row["tax_class"]
                )
            }
            line.quantity = row["quantity"]
            let discount: Int64 = row["discount"]
            line.discount = discount > 0 ? .amount(discount) : nil
            line.discountReason = row["discount_reason"]
            let (share, total): (Int64, Int64) = (row["payer_share"], row["total"])
            if let payer, share != Charges.percentage(payer.sharePercent * 100, of: total) { line.payerShare = .amount(share) }
            line.preauthorisation = row["preauthorisation"]
            return line
        }
    }

    /// The draft at `version`; an issued invoice or a stale version is a `409` that changes nothing.
    private static func requireDraft(_ db: Database, id: Int64, version: Int64) throws -> Row {
        let row = try changes.current(db, id: id)
        guard row["status"] as String == "draft" else {
            throw Problem(
                .conflict,
                title: "Invoice issued",
                detail: "Invoice \(row["number"] as String? ?? "") is issued and never changes; a manager cancels it with a credit note."
            )
        }
        guard row["version"] as Int64 == version else {
            throw Problem.stale("invoice", current: row["version"], yours: version, then: "read it again")
        }
        return row
    }

    /// The approvals a manager gave on the draft, kept while the discounts they were given for stay.
    private static func approvals(_ db: Database, _ row: Row) throws -> PricedInvoice.Approvals {
        var approvals = PricedInvoice.Approvals()
        if let by = row["discount_approved_by"] as Int64? { approvals.whole = (row["discount"], by) }
        let lines = try Row.fetchAll(
            db,
            sql:
                "SELECT service_id, description, quantity, unit_price, discount, discount_approved_by FROM invoice_lines WHERE invoice_id = ? AND discount_approved_by IS NOT NULL",
            arguments: [row["id"] as Int64]
        )
        for line in lines {
            let priced = PricedInvoice.Line(
                serviceID: line["service_id"],
                description: line["description"],
                quantity: line["quantity"],
                unitPrice: line["unit_price"],
                discount: line["discount"],
                taxClass: "",
                taxRate: 0
            )
            approvals.lines[priced.approvalKey] = line["discount_approved_by"]
        }
        return approvals
    }

    private static func writeLines(_ db: Database, invoice id: Int64, _ priced: PricedInvoice, split: PayerSplit?) throws {
        for (position, (line, charged)) in zip(priced.lines, priced.charges.lines).enumerated() {
            try db.executeCached(
                """
                INSERT INTO invoice_lines (invoice_id, position, source, service_id, item_code, description, reason, quantity, unit_price, discount,
                    discount_reason, discount_approved_by, tax_class, tax_rate, discount_total, net, tax, total, payer_share, preauthorisation)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    id, position + 1, line.source, line.serviceID, line.itemCode, line.description, line.reason, line.quantity, line.unitPrice,
                    line.discount,
                    line.discountReason, line.discountApprovedBy, line.taxClass, line.taxRate, charged.discount, charged.net, charged.tax,
                    charged.total, split?.shares[position] ?? 0, split?.preauthorisations[position],
                ]
            )
            if let source = line.source { try markBilled(db, source, line: db.lastInsertedRowID, position: position) }
        }
    }

    /// Names `source` as billed by `line`; work already on another live invoice is a `409` naming it.
    private static func markBilled(_ db: Database, _ source: String, line: Int64, position: Int) throws {
        if let other = try Row.fetchOne(
            db,
            sql: """
                SELECT coalesce(i.number, 'a draft invoice') AS number FROM billed_sources b JOIN invoice_lines l ON l.id = b.invoice_line_id
                JOIN invoices i ON i.id = l.invoice_id WHERE b.source = ?
                """,
            arguments: [source]
        ) {
            throw Problem(
                .conflict,
                title: "Already billed",
                detail: "This work is already on \(other["number"] as String); it is billed once.",
                fieldErrors: ["lines[\(position)].source": "is already on \(other["number"] as String)"]
            )
        }
        try db.execute(sql: "INSERT INTO billed_sources (source, invoice_line_id) VALUES (?, ?)", arguments: [source, line])
    }

    /// A patient who can be billed here: one of this tenant's, and not a record merged into another.
    private static func requireBillablePatient(_ db: Database, _ id: Int64) throws {
        guard let row = try db.fetchOneCached("SELECT merged_into FROM patients WHERE id = ?", [id]) else {
            throw Problem.invalid("patient_id", "is not a patient here")
        }
        if let into = row["merged_into"] as Int64? {
            let number = try String.fetchOne(db, sql: "SELECT number FROM patients WHERE id = ?", arguments: [into]) ?? ""
            throw Problem.invalid("patient_id", "was merged into \(number); bill that record")
        }
    }
}
