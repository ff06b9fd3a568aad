import ClinicBoxCore
import GRDB

/// Every change to stock goes through here, inside the caller's transaction: it moves quantities, writes the
/// movement row, and for a controlled product the controlled-substance register entry with the new balance.
/// Sales and dispensing take stock through `takeFirstExpiryFirst`, so the rules live in one place.
package struct StockLedger {
    package let db: Database
    package let actor: AuditActor

    /// Stock taken from one batch.
    package struct Taken: Sendable {
        package var batchID: Int64
        package var batchNumber: String
        package var expiry: String
        package var quantity: Int64
        package var sellingPrice: Int64
    }

    /// Takes `quantity` of a product in `branch` from batches still in date, the earliest expiry first; refuses
    /// (`409`, nothing taken) when there is not enough. Expired batches are never touched.
    package func takeFirstExpiryFirst(
        productID: Int64,
        branch: String,
        quantity: Int64,
        today: CalendarDate,
        kind: String,
        reference: String
    ) throws -> [Taken] {
        let batches = try Row.fetchAll(
            db,
            sql: """
                SELECT id, batch_number, expiry, quantity, selling_price FROM stock_batches
                WHERE product_id = ? AND branch = ? AND expiry >= ? AND quantity > 0 ORDER BY expiry, id
                """,
            arguments: [productID, branch, today.description]
        )
        let available = batches.reduce(0) { $0 + ($1["quantity"] as Int64) }
        guard available >= quantity else {
            let name = try String.fetchOne(db, sql: "SELECT name FROM products WHERE id = ?", arguments: [productID]) ?? "product \(productID)"
            throw Problem(
                .conflict,
                title: "Not enough stock",
                detail: "Only \(available) of \(name) in date at branch \(branch); \(quantity) asked for. Nothing was taken."
            )
        }
        var remaining = quantity
        var taken: [Taken] = []
        for batch in batches where remaining > 0 {
            let amount = min(remaining, batch["quantity"] as Int64)
            try move(batchID: batch["id"], change: -amount, kind: kind, reason: nil, reference: reference)
            taken.append(
                Taken(
                    batchID: batch["id"],
                    batchNumber: batch["batch_number"],
                    expiry: batch["expiry"],
                    quantity: amount,
                    sellingPrice: batch["selling_price"]
                )
            )
            remaining -= amount
        }
        return taken
    }

    /// Puts `quantity` units that came back from a batch into quarantine: recorded against the batch, not sellable,
    /// not counted in stock. Returned medicine is not put back on the shelf unless a pharmacist says so.
    package func quarantine(batchID: Int64, quantity: Int64, reason: String, reference: String?) throws {
        guard let batch = try Row.fetchOne(db, sql: "SELECT product_id, branch FROM stock_batches WHERE id = ?", arguments: [batchID]) else {
            throw RecordChanges.notFound("stock batch")
        }
        try db.execute(
            sql:
                "INSERT INTO stock_quarantine (batch_id, product_id, branch, quantity, reason, reference, user_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            arguments: [batchID, batch["product_id"] as Int64, batch["branch"] as String, quantity, reason, reference, actor.userID, Timestamp.now]
        )
    }

    /// Changes one batch by `change` (negative takes), refusing to go below zero, and records the movement.
    @discardableResult
    package func move(batchID: Int64, change: Int64, kind: String, reason: String?, reference: String?) throws -> Int64 {
        guard
            let batch = try Row.fetchOne(
                db,
                sql:
                    "SELECT b.product_id, b.branch, b.quantity, p.controlled FROM stock_batches b JOIN products p ON p.id = b.product_id WHERE b.id = ?",
                arguments: [batchID]
            )
        else { throw RecordChanges.notFound("stock batch") }
        let quantity: Int64 = batch["quantity"]
        guard quantity + change >= 0 else {
            throw Problem(
                .conflict,
                title: "Stock cannot go negative",
                detail: "The batch holds \(quantity); a change of \(change) would leave \(quantity + change).",
                fieldErrors: ["change": "must not take more than the \(quantity) in the batch"]
            )
        }
        let now = Timestamp.now
        try db.execute(
            sql: "UPDATE stock_batches SET quantity = quantity + ?, version = version + 1, updated_at = ? WHERE id = ?",
            arguments: [change, now, batchID]
        )
        let (productID, branch): (Int64, String) = (batch["product_id"], batch["branch"])
        try db.execute(
            sql:
                "INSERT INTO stock_movements (batch_id, product_id, branch, change, kind, reason, reference, user_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            arguments: [batchID, productID, branch, change, kind, reason, reference, actor.userID, now]
        )
        let movementID = db.lastInsertedRowID
        if batch["controlled"] as Bool {
            let balance =
                try Int64.fetchOne(
                    db,
                    sql: "SELECT coalesce(sum(quantity), 0) FROM stock_batches WHERE product_id = ? AND branch = ?",
                    arguments: [productID, branch]
                ) ?? 0
            try db.execute(
                sql: """
                    INSERT INTO controlled_register (movement_id, product_id, batch_id, branch, change, balance_after, kind, reason, reference, user_id, user_email, at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [movementID, productID, batchID, branch, change, balance, kind, reason, reference, actor.userID, actor.email, now]
            )
        }
        return movementID
    }

    package init(db: Database, actor: AuditActor) {
        self.db = db
        self.actor = actor
    }
}
