import ClinicBoxCore
import GRDB
import Hummingbird

extension StockAPI {
    /// A counted correction (breakage, stock-take difference), always with a reason.
    package func adjust(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        var fields = try await RequestFields.read(request, allowed: ["batch_id", "change", "reason"])
        let batchID = fields.integer("batch_id", in: 1...Int64.max, required: true)
        let change = fields.integer("change", in: -10_000_000...10_000_000, required: true)
        if change == 0 { fields.fail("change", "must not be 0") }
        let reason = fields.text("reason", required: true, maxLength: 500)
        try fields.finish()
        guard let batchID, let change, let reason else { return Response(status: .unprocessableContent) }
        try await context.requireBranch(try await branch(of: batchID, context))
        let actor = context.actor
        return try await Idempotency.write(request, context, fields: fields) { db in
            let movement = try StockMovements.adjust(db, batch: batchID, change: change, reason: reason, actor: actor)
            return .init(status: .created, json: try Self.movement(db, id: movement))
        }
    }

    /// Moves part of a batch to another branch, where it keeps its batch number, expiry and prices.
    package func transfer(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        var fields = try await RequestFields.read(request, allowed: ["batch_id", "to_branch", "quantity"])
        let batchID = fields.integer("batch_id", in: 1...Int64.max, required: true)
        let destination = fields.branch("to_branch", of: context.tenant)
        let quantity = fields.integer("quantity", in: 1...10_000_000, required: true)
        try fields.finish()
        guard let batchID, let destination, let quantity else { return Response(status: .unprocessableContent) }
        let source = try await branch(of: batchID, context)
        guard source != destination else {
            throw Problem(
                .unprocessableContent,
                title: "Invalid fields",
                detail: "The batch is already at \(destination).",
                fieldErrors: ["to_branch": "must differ from the batch's branch"]
            )
        }
        try await context.requireBranch(source)
        try await context.requireBranch(destination)
        let actor = context.actor
        return try await Idempotency.write(request, context, fields: fields) { db in
            let target = try StockMovements.transfer(db, batch: batchID, from: source, to: destination, quantity: quantity, actor: actor)
            return .init(status: .created, json: try Self.batch(db, id: target))
        }
    }

    package static let movementJSON = """
        json_object(\(SQLJSON.columns("stock_movements", ["id", "batch_id", "product_id", "branch", "change", "kind", "reason", "reference", "user_id", "at"])))
        """

    package static func movement(_ db: Database, id: Int64) throws -> String {
        try SQLJSON.fetch(db, movementJSON, from: "stock_movements", id: id, entity: "stock movement")
    }

    /// The branch of a batch, or a `404` (also for a batch the user may not see).
    package func branch(of batchID: Int64, _ context: AuthenticatedContext) async throws -> String {
        let branch = try await context.storage.database().read { db in
            try String.fetchOne(db, sql: "SELECT branch FROM stock_batches WHERE id = ?", arguments: [batchID])
        }
        guard let branch, context.user.mayActIn(branch: branch) else {
            throw Problem(
                .unprocessableContent,
                title: "Invalid fields",
                detail: "No such stock batch.",
                fieldErrors: ["batch_id": "is not a stock batch you can see"]
            )
        }
        return branch
    }
}
