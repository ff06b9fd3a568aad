import ClinicBoxCore
import GRDB

/// Writing products, shared by the JSON API and the pages: a SKU belongs to one product only.
package enum ProductRecords {
    package static let changes = RecordChanges(table: "products", entity: "product")

    package static func create(_ db: Database, _ form: ProductForm, actor: AuditActor) throws -> Int64 {
        try refuseTakenSKU(db, form.sku, except: nil)
        return try changes.insert(db, form.columns, actor: actor, action: "inventory.product_create")
    }

    package static func update(
        _ db: Database,
        id: Int64,
        version: Int64,
        fields: RequestFields,
        tax: TenantDefinition.Tax,
        actor: AuditActor
    ) throws {
        var fields = fields
        var form = ProductForm(row: try changes.current(db, id: id))
        form.apply(&fields, tax: tax)
        try fields.finish()
        try refuseTakenSKU(db, form.sku, except: id)
        try changes.update(db, id: id, version: version, form.columns, actor: actor, action: "inventory.product_update")
    }

    private static func refuseTakenSKU(_ db: Database, _ sku: String, except id: Int64?) throws {
        guard let other = try String.fetchOne(db, sql: "SELECT name FROM products WHERE sku = ? AND id IS NOT ?", arguments: [sku, id]) else {
            return
        }
        throw Problem(
            .conflict,
            title: "SKU in use",
            detail: "SKU \(sku) already belongs to \(other).",
            fieldErrors: ["sku": "is already used by \(other)"]
        )
    }
}
