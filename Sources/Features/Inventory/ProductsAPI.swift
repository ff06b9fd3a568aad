import ClinicBoxCore
import GRDB
import Hummingbird

/// `/api/v1/inventory/products`: the product catalogue (what can be stocked), not the stock itself.
package struct ProductsAPI {
    package static let changes = ProductRecords.changes
    package static let json =
        "json_object('id', products.id, \(ProductForm.fields.jsonPairs(table: "products")), \(SQLJSON.columns("products", ["version", "created_at", "updated_at"])))"
    package static let sorting = ListPage.Sorting([.init(name: "name", column: "sort_name"), .init(name: "sku", column: "sku")], default: "name")

    /// `?q=` matches the SKU exactly (what a barcode scanner types) or any part of the name or generic name.
    package func list(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let query = ListQuery(request)
        let (q, active, controlled) = (query.text("q"), query.bool("active"), query.bool("controlled"))
        try query.finish()
        let page = try ListPage(request, sorting: Self.sorting)
        var conditions = SQLConditions()
        if let q {
            let like = "%" + q.lowercased().likeEscaped + "%"
            conditions.add(
                "(products.sku = ? OR products.sort_name LIKE ? ESCAPE '\\' OR lower(products.generic_name) LIKE ? ESCAPE '\\')",
                [q, like, like]
            )
        }
        if let active { conditions.add("products.active = ?", [active]) }
        if let controlled { conditions.add("products.controlled = ?", [controlled]) }
        return try await page.fetch(context.storage.database(), item: Self.json, from: "products", conditions: conditions)
    }

    package func show(_: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id = try context.recordID()
        let json = try await context.storage.database().read { db in try SQLJSON.fetch(db, Self.json, from: "products", id: id, entity: "product") }
        return .json(bytes: ByteBuffer(string: json))
    }

    package func create(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        var fields = try await RequestFields.read(request, allowed: ProductForm.fields.names)
        var form = ProductForm()
        form.apply(&fields, tax: context.tenant.definition.tax)
        try fields.finish()
        let actor = context.actor
        return try await Idempotency.write(request, context, fields: fields) { [form] db in
            let id = try ProductRecords.create(db, form, actor: actor)
            return .init(status: .created, json: try SQLJSON.fetch(db, Self.json, from: "products", id: id, entity: "product"))
        }
    }

    package func update(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id = try context.recordID()
        var fields = try await RequestFields.read(request, allowed: ProductForm.fields.names.union(["version"]))
        let version = fields.integer("version", in: 1...Int64.max, required: true) ?? 0
        try fields.finish()
        let (actor, tax) = (context.actor, context.tenant.definition.tax)
        let json = try await context.storage.database().write { [fields] db in
            try ProductRecords.update(db, id: id, version: version, fields: fields, tax: tax, actor: actor)
            return try SQLJSON.fetch(db, Self.json, from: "products", id: id, entity: "product")
        }
        return .json(bytes: ByteBuffer(string: json))
    }
}
