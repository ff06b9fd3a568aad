extension InventoryModule {
    var schemas: [String: OpenAPISchema] {
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

    var endpoints: [Endpoint<AuthenticatedContext>] {
        let (products, stock) = (ProductRoutes(), StockRoutes())
        let branch: [String: (OpenAPISchema, String)] = ["branch": (.text, "branch code (default: the user's branches)")]
        return [
            Endpoint(
                .get(
                    "products",
                    "Products",
                    action: .inventoryRead,
                    query: APIOperation.paging(
                        ProductRoutes.sorting,
                        ["q": (.text, "exact SKU or part of the name"), "active": (.boolean, ""), "controlled": (.boolean, "")]
                    ),
                    response: .json(.page(of: "Product"))
                ),
                use: products.list
            ),
            Endpoint(
                .post("products", "Add a product", action: .inventoryWrite, request: .ref("ProductInput"), response: .json(.ref("Product"))),
                use: products.create
            ),
            Endpoint(.get("products/{id}", "One product", action: .inventoryRead, response: .json(.ref("Product")))) { _, context in
                try await products.show(context)
            },
            Endpoint(
                .patch(
                    "products/{id}",
                    "Change a product",
                    action: .inventoryWrite,
                    request: .ref("ProductUpdate"),
                    response: .json(.ref("Product"))
                ),
                use: products.update
            ),
            Endpoint(
                .get(
                    "batches",
                    "Stock batches",
                    action: .inventoryRead,
                    query: APIOperation.paging(StockRoutes.batchSorting, branch, ["product_id": (.id, ""), "in_stock": (.boolean, "")]),
                    response: .json(.page(of: "StockBatch"))
                ),
                use: stock.listBatches
            ),
            Endpoint(
                .post("batches", "Receive stock", action: .inventoryWrite, request: .ref("StockReceipt"), response: .json(.ref("StockBatch"))),
                use: stock.receive
            ),
            Endpoint(.get("batches/{id}", "One batch", action: .inventoryRead, response: .json(.ref("StockBatch")))) { _, context in
                try await stock.showBatch(context)
            },
            Endpoint(
                .post(
                    "adjustments",
                    "Correct a batch's quantity, with a reason",
                    action: .inventoryWrite,
                    request: .ref("StockAdjustment"),
                    response: .json(.ref("StockMovement"))
                ),
                use: stock.adjust
            ),
            Endpoint(
                .post(
                    "transfers",
                    "Move stock to another branch",
                    action: .inventoryWrite,
                    request: .ref("StockTransfer"),
                    response: .json(.ref("StockBatch"))
                ),
                use: stock.transfer
            ),
            Endpoint(
                .get(
                    "expiring",
                    "Batches expiring soon (expired included)",
                    action: .inventoryRead,
                    query: APIOperation.paging(StockRoutes.expirySorting, branch, ["days": (.integer(minimum: 0, maximum: 3650), "default 30")]),
                    response: .json(.page(of: "StockBatch"))
                ),
                use: stock.expiring
            ),
            Endpoint(
                .get(
                    "low-stock",
                    "Products at or below their reorder level",
                    action: .inventoryRead,
                    query: branch,
                    response: .json(.ref("LowStock"))
                ),
                use: stock.lowStock
            ),
            Endpoint(
                .get(
                    "controlled-register",
                    "The controlled-substance register, newest first",
                    action: .inventoryRead,
                    query: APIOperation.paging(StockRoutes.registerSorting, branch, ["product_id": (.id, "")]),
                    response: .json(.page(of: "ControlledRegisterEntry"))
                ),
                use: stock.controlledRegister
            ),
        ]
    }
}
