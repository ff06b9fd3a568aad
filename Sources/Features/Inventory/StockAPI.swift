import ClinicBoxCore
import GRDB
import Hummingbird

/// `/api/v1/inventory/…` stock: receiving batches, adjustments, transfers between branches, and the lists a
/// pharmacist checks every morning (low stock, expiring soon, the controlled-substance register).
package struct StockAPI {
    package static let batchJSON = """
        json_object(\(SQLJSON.columns("stock_batches", ["id", "product_id", "branch", "batch_number", "expiry", "quantity", "cost_price", "selling_price", "version", "created_at", "updated_at"])),
            'sku', products.sku, 'product_name', products.name)
        """
    package static let batchJoin = "JOIN products ON products.id = stock_batches.product_id"
    package static let batchSorting = ListPage.Sorting(
        [.init(name: "expiry", column: "expiry"), .init(name: "received", column: "created_at")],
        default: "expiry"
    )
    package static let expirySorting = ListPage.Sorting([.init(name: "expiry", column: "expiry")], default: "expiry")
    package static let registerSorting = ListPage.Sorting([.init(name: "id", column: "id")], default: "-id")

    package static func batch(_ db: Database, id: Int64) throws -> String {
        try SQLJSON.fetch(db, batchJSON, from: "stock_batches", joins: batchJoin, id: id, entity: "stock batch")
    }

    // MARK: Batches

    package func listBatches(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let query = ListQuery(request)
        let (product, inStock) = (query.id("product_id"), query.bool("in_stock"))
        try query.finish()
        let page = try ListPage(request, sorting: Self.batchSorting)
        var conditions = try await context.branchConditions(request, column: "stock_batches.branch")
        if let product { conditions.add("stock_batches.product_id = ?", [product]) }
        if let inStock { conditions.add(inStock ? "stock_batches.quantity > 0" : "stock_batches.quantity = 0") }
        return try await page.fetch(
            context.storage.database(),
            item: Self.batchJSON,
            from: "stock_batches",
            joins: Self.batchJoin,
            conditions: conditions
        )
    }

    package func showBatch(_: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id = try context.recordID()
        let branches = context.user.branchFilter
        let json = try await context.storage.database().read { db in
            try RecordChanges(table: "stock_batches", entity: "stock batch").requireVisible(db, id: id, branches: branches)
            return try Self.batch(db, id: id)
        }
        return .json(bytes: ByteBuffer(string: json))
    }

    /// Receives stock: a new batch, or more of a batch already held with the same expiry.
    package func receive(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        var fields = try await RequestFields.read(
            request,
            allowed: ["product_id", "branch", "batch_number", "expiry", "quantity", "cost_price", "selling_price"]
        )
        let productID = fields.integer("product_id", in: 1...Int64.max, required: true)
        let branch = fields.branch("branch", of: context.tenant)
        let batchNumber = fields.text("batch_number", required: true, maxLength: 64)
        let expiry = fields.date("expiry", required: true)
        if let expiry, expiry <= .today(in: context.tenant.timeZone) {
            fields.fail("expiry", "must be after today: expired stock cannot be received")
        }
        let quantity = fields.integer("quantity", in: 1...10_000_000, required: true)
        let cost = fields.money("cost_price", required: true)
        let price = fields.money("selling_price", required: true)
        try fields.finish()
        guard let productID, let branch, let batchNumber, let expiry, let quantity, let cost, let price else {
            return Response(status: .unprocessableContent)
        }
        try await context.requireBranch(branch)
        let actor = context.actor
        let receipt = StockReceipt(
            productID: productID,
            branch: branch,
            batchNumber: batchNumber,
            expiry: expiry,
            quantity: quantity,
            cost: cost,
            price: price
        )
        return try await Idempotency.write(request, context, fields: fields) { db in
            let batchID = try receipt.record(db, actor: actor)
            return .init(status: .created, json: try Self.batch(db, id: batchID))
        }
    }
}
