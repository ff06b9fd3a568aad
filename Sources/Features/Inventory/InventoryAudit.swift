import ClinicBoxCore
import GRDB

extension InventoryModule {
    package var auditRecords: [AuditRecordKind] {
        [
            AuditRecordKind(
                type: "product",
                label: "Products",
                verbs: ["inventory.product_create": "added the product {}", "inventory.product_update": "changed the product {}"],
                flagFields: ["active", "requires_prescription", "controlled"],
                names: AuditRecordKind.names(
                    select: "name, strength, form",
                    from: "products",
                    idColumn: "id",
                    name: { row, _ in Self.productName(row) },
                    path: { row in "/inventory/\(row["audit_id"] as Int64)" }
                )
            ),
            AuditRecordKind(
                type: "stock_batch",
                label: "Stock batches",
                verbs: [
                    "inventory.receive": "received {}", "inventory.adjust": "corrected the count of {}", "inventory.transfer": "moved stock of {}",
                ],
                moneyFields: ["cost_price", "selling_price"],
                names: AuditRecordKind.names(
                    select: "stock_batches.batch_number, products.name, products.strength, products.form",
                    from: "stock_batches JOIN products ON products.id = stock_batches.product_id",
                    idColumn: "stock_batches.id",
                    name: { row, _ in "batch \(row["batch_number"] as String) of \(Self.productName(row))" },
                    path: { row in "/inventory/batches/\(row["audit_id"] as Int64)" }
                )
            ),
        ]
    }

    /// `Ibuprofen 200 mg tablet`.
    private static func productName(_ row: Row) -> String {
        [row["name"] as String?, row["strength"] as String?, row["form"] as String?].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
    }
}
