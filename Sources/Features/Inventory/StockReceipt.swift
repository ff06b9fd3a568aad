import ClinicBoxCore
import GRDB

/// Stock arriving: a new batch, or more of a batch already held with the same expiry; through the stock ledger
/// (so a controlled product gets its register entry) with its audit row. Shared by the API and the pages.
package struct StockReceipt: Sendable {
    package var productID: Int64
    package var branch: String
    package var batchNumber: String
    package var expiry: CalendarDate
    package var quantity: Int64
    package var cost: Int64
    package var price: Int64

    /// Records the receipt in the caller's transaction and returns the batch's id.
    package func record(_ db: Database, actor: AuditActor) throws -> Int64 {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM products WHERE id = ?", arguments: [productID]) != nil else {
            throw Problem(
                .unprocessableContent,
                title: "Invalid fields",
                detail: "No such product.",
                fieldErrors: ["product_id": "is not a product of this tenant"]
            )
        }
        let existing = try Row.fetchOne(
            db,
            sql: "SELECT id, expiry FROM stock_batches WHERE product_id = ? AND branch = ? AND batch_number = ?",
            arguments: [productID, branch, batchNumber]
        )
        let batchID: Int64
        if let existing {
            guard existing["expiry"] as String == expiry.description else {
                throw Problem(
                    .unprocessableContent,
                    title: "Invalid fields",
                    detail: "Batch \(batchNumber) is already held with expiry \(ReadableTime.day(existing["expiry"] as String)).",
                    fieldErrors: [
                        "expiry": "must match the expiry already recorded for batch \(batchNumber): \(ReadableTime.day(existing["expiry"] as String))"
                    ]
                )
            }
            batchID = existing["id"]
        } else {
            let now = Timestamp.now
            try db.execute(
                sql: """
                    INSERT INTO stock_batches (product_id, branch, batch_number, expiry, quantity, cost_price, selling_price, version, created_at, updated_at)
                    VALUES (?, ?, ?, ?, 0, ?, ?, 1, ?, ?)
                    """,
                arguments: [productID, branch, batchNumber, expiry.description, cost, price, now, now]
            )
            batchID = db.lastInsertedRowID
        }
        try StockLedger(db: db, actor: actor).move(batchID: batchID, change: quantity, kind: "receive", reason: nil, reference: nil)
        try AuditLog.record(
            db,
            actor: actor,
            action: "inventory.receive",
            entityType: "stock_batch",
            entityID: String(batchID),
            changes: ["quantity": .init(before: nil, after: "+\(quantity)"), "branch": .init(before: nil, after: branch)]
        )
        return batchID
    }
}
