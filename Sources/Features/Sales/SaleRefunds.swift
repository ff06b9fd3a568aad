import ClinicBoxCore
import GRDB
import Hummingbird
import Inventory
import Patients
import Prescriptions

/// `POST /api/v1/sales/{id}/refunds`: gives money back for some or all units of a sale, in one transaction. The
/// units that come back are quarantined (counted, not sellable) unless `restock` says they are fit for resale, which
/// only those who may dispense or manage stock may say; then they go back into the batches they were sold from.
package enum SaleRefunds {
    /// Refunds `items` (sale item id, units) of sale `saleID` in the caller's transaction and returns the amount
    /// given back; shared by the API and the receipt page.
    @discardableResult
    package static func record(
        _ db: Database,
        sale saleID: Int64,
        items: [(Int64, Int64)],
        reason: String,
        restock: Bool = false,
        actor: AuditActor,
        branches: [String]?
    ) throws -> Int64 {
        try SalesAPI.changes.requireVisible(db, id: saleID, branches: branches)
        let sale = try Row.fetchOne(db, sql: "SELECT number, subtotal, total, refunded FROM sales WHERE id = ?", arguments: [saleID])!
        let number: String = sale["number"]
        let ledger = StockLedger(db: db, actor: actor)
        var gross: Int64 = 0
        for (index, (itemID, quantity)) in items.enumerated() {
            guard
                let item = try Row.fetchOne(
                    db,
                    sql: "SELECT quantity, refunded_quantity FROM sale_items WHERE id = ? AND sale_id = ?",
                    arguments: [itemID, saleID]
                )
            else {
                throw Problem(
                    .unprocessableContent,
                    title: "Invalid fields",
                    detail: "Check the items.",
                    fieldErrors: ["items[\(index)].sale_item_id": "is not an item of sale \(number)"]
                )
            }
            let left = (item["quantity"] as Int64) - (item["refunded_quantity"] as Int64)
            guard quantity <= left else {
                throw Problem(
                    .unprocessableContent,
                    title: "Invalid fields",
                    detail: "Check the items.",
                    fieldErrors: ["items[\(index)].quantity": "must be at most \(left), the units not yet refunded"]
                )
            }
            try db.execute(sql: "UPDATE sale_items SET refunded_quantity = refunded_quantity + ? WHERE id = ?", arguments: [quantity, itemID])
            var remaining = quantity
            for batch in try Row.fetchAll(
                db,
                sql: "SELECT batch_id, quantity - refunded AS left, unit_price FROM sale_item_batches WHERE sale_item_id = ? AND quantity > refunded",
                arguments: [itemID]
            ) where remaining > 0 {
                let units = min(remaining, batch["left"] as Int64)
                try db.execute(
                    sql: "UPDATE sale_item_batches SET refunded = refunded + ? WHERE sale_item_id = ? AND batch_id = ?",
                    arguments: [units, itemID, batch["batch_id"] as Int64]
                )
                if restock {
                    try ledger.move(batchID: batch["batch_id"], change: units, kind: "refund", reason: reason, reference: "sale:\(number)")
                } else {
                    try ledger.quarantine(batchID: batch["batch_id"], quantity: units, reason: reason, reference: "sale:\(number)")
                }
                gross += units * (batch["unit_price"] as Int64)
                remaining -= units
            }
        }
        // The customer gets back what they paid for those units: the sale's discount and added tax apply pro rata.
        let subtotal: Int64 = sale["subtotal"]
        let amount = subtotal == 0 ? 0 : (gross * (sale["total"] as Int64) + subtotal / 2) / subtotal
        let refunded = min((sale["refunded"] as Int64) + amount, sale["total"] as Int64)
        let allReturned =
            try Int64.fetchOne(db, sql: "SELECT count(*) FROM sale_items WHERE sale_id = ? AND refunded_quantity < quantity", arguments: [saleID])
            == 0
        try db.execute(
            sql: "UPDATE sales SET refunded = ?, status = ?, version = version + 1, updated_at = ? WHERE id = ?",
            arguments: [refunded, allReturned ? "refunded" : "partially_refunded", Timestamp.now, saleID]
        )
        try db.execute(
            sql: "INSERT INTO sale_refunds (sale_id, amount, reason, user_id, created_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [saleID, amount, reason, actor.userID, Timestamp.now]
        )
        try AuditLog.record(
            db,
            actor: actor,
            action: "sales.refund",
            entityType: "sale",
            entityID: String(saleID),
            changes: [
                "refunded": .init(before: String(sale["refunded"] as Int64), after: String(refunded)), "reason": .init(before: nil, after: reason),
                "returned units": .init(before: nil, after: restock ? "back in stock, fit for resale" : "quarantined"),
            ]
        )
        return amount
    }

    /// What `record` would give back, worked out by recording it and rolling back, so the question a cashier
    /// answers names exactly the amount the refund will be; and the methods the sale was paid by.
    package static func preview(
        _ db: Database,
        sale saleID: Int64,
        items: [(Int64, Int64)],
        reason: String,
        restock: Bool,
        actor: AuditActor,
        branches: [String]?
    ) throws -> (amount: Int64, methods: [String]) {
        var amount: Int64 = 0
        try db.inSavepoint {
            amount = try record(db, sale: saleID, items: items, reason: reason, restock: restock, actor: actor, branches: branches)
            return .rollback
        }
        let methods = try String.fetchAll(db, sql: "SELECT DISTINCT method FROM sale_payments WHERE sale_id = ? ORDER BY id", arguments: [saleID])
        return (amount, methods)
    }

    /// Who may say returned units are fit for resale: those who dispense (pharmacists) or manage stock.
    package static func mayRestock(_ permissions: Permissions, _ user: AuthenticatedUser) -> Bool {
        permissions.allows(user, PermissionAction("prescriptions.dispense", doing: "dispense prescriptions"))
            || permissions.allows(user, .inventoryWrite)
    }

    package static func create(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let saleID = try context.recordID(entity: "sale")
        var fields = try await RequestFields.read(request, allowed: ["items", "reason", "restock"])
        let items = fields.objects("items", allowed: ["sale_item_id", "quantity"]) { item -> (Int64, Int64)? in
            guard let id = item.integer("sale_item_id", in: 1...Int64.max, required: true),
                let quantity = item.integer("quantity", in: 1...100_000, required: true)
            else { return nil }
            return (id, quantity)
        }
        let reason = fields.text("reason", required: true, maxLength: 500)
        let restock = fields.bool("restock", required: fields.has("restock")) ?? false
        try fields.finish()
        guard let items, let reason else { return Response(status: .unprocessableContent) }
        if restock, !mayRestock(context.tenant.permissions, context.user) {
            throw Problem(
                .forbidden,
                title: "Not permitted",
                detail: "Only those who may dispense or manage stock say returned medicine is fit for resale; leave restock out to quarantine it."
            )
        }
        let (actor, branches) = (context.actor, context.user.branchFilter)
        return try await Idempotency.write(request, context, fields: fields) { db in
            try record(db, sale: saleID, items: items, reason: reason, restock: restock, actor: actor, branches: branches)
            return .init(status: .created, json: try SaleJSON.fetch(db, id: saleID))
        }
    }
}
