import ClinicBoxCore

/// The OpenAPI schemas of the inventory module's requests and answers, named by its endpoints in `InventoryRoutes.swift`.
extension InventoryModule {
    package var schemas: [String: OpenAPISchema] {
        let product = ProductForm.fields.schema
        return [
            "Product": .object(product.merging(["id": .id, "version": .version, "created_at": .timestamp, "updated_at": .timestamp]) { $1 }),
            "ProductInput": .object(product, required: ProductForm.fields.required),
            "ProductUpdate": .object(product.merging(["version": .version]) { $1 }, required: ["version"]),
            "StockBatch": .object([
                "id": .id, "product_id": .id, "sku": .text, "product_name": .text, "branch": .text, "batch_number": .text, "expiry": .date,
                "quantity": .integer(), "cost_price": .money, "selling_price": .money, "expired": .boolean, "version": .version,
                "created_at": .timestamp, "updated_at": .timestamp,
            ]),
            "StockReceipt": .object(
                [
                    "product_id": .id, "branch": .text, "batch_number": .text, "expiry": .date, "quantity": .integer(), "cost_price": .money,
                    "selling_price": .money,
                ],
                required: ["product_id", "branch", "batch_number", "expiry", "quantity", "cost_price", "selling_price"]
            ),
            "StockAdjustment": .object(
                ["batch_id": .id, "change": .integer(description: "positive adds, negative takes; never 0"), "reason": .text],
                required: ["batch_id", "change", "reason"]
            ),
            "StockTransfer": .object(
                ["batch_id": .id, "to_branch": .text, "quantity": .integer(minimum: 1, maximum: 10_000_000)],
                required: ["batch_id", "to_branch", "quantity"]
            ),
            "StockMovement": .object([
                "id": .id, "batch_id": .id, "product_id": .id, "branch": .text, "change": .integer(), "kind": .text, "reason": .optionalText,
                "reference": .optionalText, "user_id": .optionalID, "at": .timestamp,
            ]),
            "LowStock": .object([
                "items": .array(
                    .object([
                        "product_id": .id, "sku": .text, "name": .text, "branch": .text, "quantity": .integer(), "reorder_level": .integer(),
                    ])
                )
            ]),
            "ControlledRegisterEntry": .object([
                "id": .id, "product_id": .id, "product_name": .text, "batch_id": .id, "branch": .text, "change": .integer(),
                "balance_after": .integer(),
                "kind": .text, "reason": .optionalText, "reference": .optionalText, "user_email": .optionalText, "at": .timestamp,
            ]),
        ]
    }

}
