import ClinicBoxCore
import Clinical
import Foundation
import GRDB
import Hummingbird
import Inventory
import Patients

/// `POST /api/v1/prescriptions/{id}/dispense`: a pharmacy hands out medicine against a prescription. Stock is taken
/// first-expiry-first-out through the inventory module, and who dispensed what from which batch is recorded — all
/// in one transaction.
package enum PrescriptionDispensing {
    package struct Line: Sendable {
        package var itemID: Int64
        package var quantity: Int64
        package var productID: Int64?

        package init(itemID: Int64, quantity: Int64, productID: Int64? = nil) {
            self.itemID = itemID
            self.quantity = quantity
            self.productID = productID
        }
    }

    /// What is dispensed: the lines of one prescription at a branch, with the reasons given to go ahead despite an
    /// allergy or before a repeat is due, who may decide that, and the sale when the till dispenses.
    package struct Order: Sendable {
        package var prescription: Int64
        package var branch: String
        package var lines: [Line]
        package var sale: String? = nil
        package var allergyOverride: String? = nil
        package var allergyDecision: AllergyCheck.Decision = .theirs
        package var earlyRepeatReason: String? = nil

        package init(
            prescription: Int64,
            branch: String,
            lines: [Line],
            sale: String? = nil,
            allergyOverride: String? = nil,
            allergyDecision: AllergyCheck.Decision = .theirs,
            earlyRepeatReason: String? = nil
        ) {
            self.prescription = prescription
            self.branch = branch
            self.lines = lines
            self.sale = sale
            self.allergyOverride = allergyOverride
            self.allergyDecision = allergyDecision
            self.earlyRepeatReason = earlyRepeatReason
        }
    }

    /// Takes the stock and records the dispensing in the caller's transaction; shared by the API, the pages and the
    /// till (a sale linked to the prescription dispenses through here, with the sale's number as `sale`). Returns the
    /// batches taken for each line, in order. The first dispensing of an item names its product, so repeats (and the
    /// till) know what the item is.
    @discardableResult
    package static func record(
        _ db: Database,
        _ order: Order,
        actor: AuditActor,
        today: CalendarDate,
        timeZone: TimeZone
    ) throws -> [[StockLedger.Taken]] {
        let (id, branch, lines, sale) = (order.prescription, order.branch, order.lines, order.sale)
        let (allergyOverride, allergyDecision, earlyRepeatReason) = (order.allergyOverride, order.allergyDecision, order.earlyRepeatReason)
        let prescription = try PrescriptionsAPI.changes.current(db, id: id)
        let (number, status): (String, String) = (prescription["number"], prescription["status"])
        guard status == "pending" || status == "partially_dispensed" else {
            throw Problem(
                .conflict,
                title: "Cannot dispense",
                detail: "Prescription \(number) is \(status.replacingOccurrences(of: "_", with: " "))."
            )
        }
        let overridden = try checkAllergies(
            db,
            prescription: id,
            patient: prescription["patient_id"],
            lines: lines,
            overrideReason: allergyOverride,
            decision: allergyDecision,
            sale: sale
        )
        let keptReason = overridden.isEmpty ? nil : allergyOverride
        let ledger = StockLedger(db: db, actor: actor)
        let reference = sale.map { "prescription:\(number) sale:\($0)" } ?? "prescription:\(number)"
        var takenByLine: [[StockLedger.Taken]] = []
        let dispenser = try String.fetchOne(db, sql: "SELECT display_name FROM users WHERE id = ?", arguments: [actor.userID]) ?? actor.email
        for (index, line) in lines.enumerated() {
            let field = "items[\(index)]"
            guard
                let item = try Row.fetchOne(
                    db,
                    sql: "SELECT * FROM prescription_items WHERE id = ? AND prescription_id = ?",
                    arguments: [line.itemID, id]
                )
            else {
                throw Problem.invalid("\(field).item_id", "is not an item of \(number)")
            }
            let allowed = (item["quantity"] as Int64) * ((item["repeats"] as Int64) + 1) - (item["dispensed_quantity"] as Int64)
            guard line.quantity <= allowed else {
                throw Problem.invalid("\(field).quantity", "must be at most \(allowed), what is left to dispense (repeats included)")
            }
            guard let productID = line.productID ?? item["product_id"] else {
                throw Problem.invalid("\(field).product_id", "is required: which product is dispensed for \(item["medicine"] as String)")
            }
            // A repeat before the last supply has run out needs a reason from someone who may dispense.
            var early: String?
            if let due = try RepeatInterval.earlyUntil(db, item: item, today: today, timeZone: timeZone) {
                guard allergyDecision.mayDecide else {
                    throw earlyRepeat(item, due: due, number: number, whom: try allergyDecision.whomToAsk(db), sold: sale != nil)
                }
                guard let reason = earlyRepeatReason, !reason.isEmpty else {
                    throw earlyRepeat(item, due: due, number: number, whom: nil, sold: sale != nil)
                }
                early = reason
                try AuditLog.record(
                    db,
                    actor: actor,
                    action: "prescriptions.early_repeat",
                    entityType: "prescription",
                    entityID: String(id),
                    changes: [
                        "medicine": .init(before: nil, after: item["medicine"]), "due": .init(before: nil, after: due.description),
                        "reason": .init(before: nil, after: reason),
                    ]
                )
            }
            let taken = try ledger.takeFirstExpiryFirst(
                productID: productID,
                branch: branch,
                quantity: line.quantity,
                today: today,
                kind: "dispense",
                reference: reference
            )
            for batch in taken {
                try db.execute(
                    sql: """
                        INSERT INTO prescription_dispensings (
                            prescription_item_id, product_id, batch_id, batch_number, expiry, branch, quantity, dispensed_by, dispensed_by_email, dispensed_by_name, at,
                            allergy_override_reason, early_repeat_reason
                        ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        line.itemID, productID, batch.batchID, batch.batchNumber, batch.expiry, branch, batch.quantity, actor.userID, actor.email,
                        dispenser, Timestamp.now,
                        keptReason, early,
                    ]
                )
                if let sale {
                    try db.execute(
                        sql: "INSERT INTO prescription_dispensing_sales (dispensing_id, sale) VALUES (?, ?)",
                        arguments: [db.lastInsertedRowID, sale]
                    )
                }
            }
            try db.execute(
                sql: "UPDATE prescription_items SET dispensed_quantity = dispensed_quantity + ?, product_id = coalesce(product_id, ?) WHERE id = ?",
                arguments: [line.quantity, productID, line.itemID]
            )
            takenByLine.append(taken)
        }
        // Dispensed when every item has been supplied in full, repeats included; until then repeats may follow.
        let open =
            try Int64.fetchOne(
                db,
                sql: "SELECT count(*) FROM prescription_items WHERE prescription_id = ? AND dispensed_quantity < quantity * (repeats + 1)",
                arguments: [id]
            ) ?? 0
        let newStatus = open == 0 ? "dispensed" : "partially_dispensed"
        try db.execute(
            sql: "UPDATE prescriptions SET status = ?, version = version + 1, updated_at = ? WHERE id = ?",
            arguments: [newStatus, Timestamp.now, id]
        )
        var changes: [String: AuditChange] = ["status": .init(before: status, after: newStatus), "branch": .init(before: nil, after: branch)]
        if let sale { changes["sale"] = .init(before: nil, after: sale) }
        try AuditLog.record(db, actor: actor, action: "prescriptions.dispense", entityType: "prescription", entityID: String(id), changes: changes)
        try AllergyCheck.recordOverride(db, overridden, reason: keptReason, actor: actor, entity: "prescription", id: id)
        return takenByLine
    }

    /// "The repeat of Amoxicillin on RX-000001 is due from 11 Dec 2026 (every 10 days)." — with whom to ask, for
    /// someone who may not decide, or the reason box, for someone who may.
    private static func earlyRepeat(_ item: Row, due: CalendarDate, number: String, whom: String?, sold: Bool) -> Problem {
        let medicine: String = item["medicine"]
        let sentence =
            "The repeat of \(medicine) on \(number) is due from \(ReadableTime.day(due)) (every \(item["repeat_interval_days"] as Int64? ?? 0) days). Nothing was \(sold ? "sold" : "dispensed")."
        if let whom {
            return Problem(
                .conflict,
                title: RepeatInterval.earlyTitle,
                detail: sentence + " An early repeat is for those who may dispense prescriptions: ask \(whom)."
            )
        }
        return Problem(
            .conflict,
            title: RepeatInterval.earlyTitle,
            detail: sentence + " To go ahead early, give the reason in \(RepeatInterval.reasonField).",
            fieldErrors: [RepeatInterval.reasonField: "is required to hand out a repeat before it is due"],
            pageDetail: sentence + " To go ahead early, write why in the box below."
        )
    }

    /// The pharmacist's check, whatever the prescriber decided: each medicine handed out (by its written name and
    /// the product's names) against the patient's active allergies today.
    private static func checkAllergies(
        _ db: Database,
        prescription id: Int64,
        patient: Int64,
        lines: [Line],
        overrideReason: String?,
        decision: AllergyCheck.Decision,
        sale: String?
    ) throws -> [AllergyCheck.Conflict] {
        let drugs = try lines.compactMap { line -> AllergyCheck.Drug? in
            guard
                let item = try Row.fetchOne(
                    db,
                    sql: "SELECT medicine, product_id FROM prescription_items WHERE id = ? AND prescription_id = ?",
                    arguments: [line.itemID, id]
                )
            else { return nil }
            return try PrescriptionRecords.drug(db, medicine: item["medicine"], product: line.productID ?? item["product_id"])
        }
        return try AllergyCheck.enforce(
            db,
            patient: patient,
            drugs: drugs,
            overrideReason: overrideReason,
            decision: decision,
            doing: sale == nil ? "dispensed" : "sold"
        )
    }

    package static func dispense(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        try context.tenant.requireFeature("inventory", for: PrescriptionsModule.dispensingNeeds)
        let id = try context.recordID(entity: "prescription")
        var fields = try await RequestFields.read(request, allowed: ["branch", "items", AllergyCheck.overrideField, RepeatInterval.reasonField])
        let branch = fields.branch("branch", of: context.tenant)
        let lines = fields.objects("items", allowed: ["item_id", "quantity", "product_id"], maxCount: 20) { item -> Line? in
            guard let itemID = item.integer("item_id", in: 1...Int64.max, required: true),
                let quantity = item.integer("quantity", in: 1...10_000, required: true)
            else { return nil }
            return Line(itemID: itemID, quantity: quantity, productID: item.integer("product_id", in: 1...Int64.max))
        }
        let allergyOverride = fields.text(AllergyCheck.overrideField, maxLength: 500)
        let earlyReason = fields.text(RepeatInterval.reasonField, maxLength: 500)
        try fields.finish()
        guard let branch, let lines else { return Response(status: .unprocessableContent) }
        try await context.requireBranch(branch)
        let (actor, timeZone) = (context.actor, context.tenant.timeZone)
        let today = CalendarDate.today(in: timeZone)
        return try await Idempotency.write(request, context, fields: fields) { db in
            let order = Order(prescription: id, branch: branch, lines: lines, allergyOverride: allergyOverride, earlyRepeatReason: earlyReason)
            try record(db, order, actor: actor, today: today, timeZone: timeZone)
            return .init(status: .created, json: try PrescriptionJSON.fetch(db, id: id))
        }
    }
}
