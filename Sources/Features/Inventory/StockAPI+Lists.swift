import ClinicBoxCore
import GRDB
import Hummingbird

extension StockAPI {
    /// Batches with stock that expire within `days` (default 30), expired ones included and marked.
    package func expiring(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let query = ListQuery(request)
        let days = query.integer("days") ?? 30
        try query.finish()
        let today = CalendarDate.today(in: context.tenant.timeZone)
        let page = try ListPage(request, sorting: Self.expirySorting)
        var conditions = try await context.branchConditions(request, column: "stock_batches.branch")
        conditions.add("stock_batches.quantity > 0 AND stock_batches.expiry <= ?", [today.adding(days: days).description])
        let item = "json_set(\(Self.batchJSON), '$.expired', json(CASE WHEN stock_batches.expiry < '\(today)' THEN 'true' ELSE 'false' END))"
        return try await page.fetch(context.storage.database(), item: item, from: "stock_batches", joins: Self.batchJoin, conditions: conditions)
    }

    /// Active products whose in-date stock in a branch is at or below their reorder level.
    package func lowStock(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        try ListQuery(request).finish()
        let branches = try await context.visibleBranches(request)
        guard !branches.isEmpty else { return .json(bytes: ByteBuffer(string: "{\"items\":[]}")) }
        let today = CalendarDate.today(in: context.tenant.timeZone).description
        let values = branches.map { _ in "(?)" }.joined(separator: ", ")
        let sql = """
            WITH branch(code) AS (VALUES \(values)),
            level AS (
                SELECT products.id, products.sku, products.name, branch.code AS branch, products.reorder_level,
                    (SELECT coalesce(sum(quantity), 0) FROM stock_batches
                     WHERE product_id = products.id AND stock_batches.branch = branch.code AND expiry >= ?) AS quantity
                FROM products CROSS JOIN branch WHERE products.active = 1 AND products.reorder_level > 0
            )
            SELECT json_object('items', coalesce(json_group_array(json_object('product_id', id, 'sku', sku, 'name', name, 'branch', branch,
                'quantity', quantity, 'reorder_level', reorder_level)), json('[]')))
            FROM (SELECT * FROM level WHERE quantity <= reorder_level ORDER BY quantity, name LIMIT 1000)
            """
        let arguments = StatementArguments(branches) + [today]
        let json = try await context.storage.database().read { db in try String.fetchOne(db, sql: sql, arguments: arguments) ?? "{\"items\":[]}" }
        return .json(bytes: ByteBuffer(string: json))
    }

    /// The controlled-substance register: every movement of a controlled product, newest first, never edited.
    package func controlledRegister(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let query = ListQuery(request)
        let product = query.id("product_id")
        try query.finish()
        let page = try ListPage(request, sorting: Self.registerSorting)
        var conditions = try await context.branchConditions(request, column: "controlled_register.branch")
        if let product { conditions.add("controlled_register.product_id = ?", [product]) }
        let item = """
            json_object(\(SQLJSON.columns("controlled_register", ["id", "product_id", "batch_id", "branch", "change", "balance_after", "kind", "reason", "reference", "user_email", "at"])),
                'product_name', products.name)
            """
        return try await page.fetch(
            context.storage.database(),
            item: item,
            from: "controlled_register",
            joins: "JOIN products ON products.id = controlled_register.product_id",
            conditions: conditions
        )
    }
}
