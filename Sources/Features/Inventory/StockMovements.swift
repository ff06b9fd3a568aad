import ClinicBoxCore
import GRDB

/// Counted corrections and moves between branches, through the stock ledger (stock never goes negative, a
/// controlled product gets its register entry) with their audit rows. Shared by the API and the pages; the caller
/// has checked the user may act in the branches involved.
package enum StockMovements {
    /// A correction of `change` units (breakage, a stock-take difference) with its reason; returns the movement.
    package static func adjust(_ db: Database, batch batchID: Int64, change: Int64, reason: String, actor: AuditActor) throws -> Int64 {
        let movement = try StockLedger(db: db, actor: actor).move(batchID: batchID, change: change, kind: "adjust", reason: reason, reference: nil)
        try AuditLog.record(
            db,
            actor: actor,
            action: "inventory.adjust",
            entityType: "stock_batch",
            entityID: String(batchID),
            changes: ["quantity": .init(before: nil, after: change > 0 ? "+\(change)" : String(change)), "reason": .init(before: nil, after: reason)]
        )
        return movement
    }

    /// Moves `quantity` of a batch from `source` to `destination`, where it keeps its batch number, expiry and
    /// prices; returns the batch at the destination.
    package static func transfer(
        _ db: Database,
        batch batchID: Int64,
        from source: String,
        to destination: String,
        quantity: Int64,
        actor: AuditActor
    ) throws -> Int64 {
        let ledger = StockLedger(db: db, actor: actor)
        let reference = "transfer:\(source)->\(destination)"
        try ledger.move(batchID: batchID, change: -quantity, kind: "transfer_out", reason: nil, reference: reference)
        let now = Timestamp.now
        try db.execute(
            sql: """
                INSERT INTO stock_batches (product_id, branch, batch_number, expiry, quantity, cost_price, selling_price, version, created_at, updated_at)
                SELECT product_id, ?, batch_number, expiry, 0, cost_price, selling_price, 1, ?, ? FROM stock_batches WHERE id = ?
                ON CONFLICT (product_id, branch, batch_number) DO NOTHING
                """,
            arguments: [destination, now, now, batchID]
        )
        let target = try Int64.fetchOne(
            db,
            sql:
                "SELECT t.id FROM stock_batches t JOIN stock_batches s ON s.product_id = t.product_id AND s.batch_number = t.batch_number WHERE s.id = ? AND t.branch = ?",
            arguments: [batchID, destination]
        )!
        try ledger.move(batchID: target, change: quantity, kind: "transfer_in", reason: nil, reference: reference)
        try AuditLog.record(
            db,
            actor: actor,
            action: "inventory.transfer",
            entityType: "stock_batch",
            entityID: String(batchID),
            changes: ["quantity": .init(before: nil, after: String(quantity)), "branch": .init(before: source, after: destination)]
        )
        return target
    }
}
