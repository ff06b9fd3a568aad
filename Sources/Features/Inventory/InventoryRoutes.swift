import ClinicBoxCore
import Hummingbird

/// Where inventory answers: products and stock at `/api/v1/inventory/…`, the pages at `/inventory`. Each endpoint
/// names its permission and its handler, which lives in `ProductsAPI`, `StockAPI` or a `…Pages` type.
extension InventoryModule {
    package var endpoints: [Endpoint<AuthenticatedContext>] {
        let (products, stock) = (ProductsAPI(), StockAPI())
        let branch: [String: (OpenAPISchema, String)] = ["branch": (.text, "branch code (default: the user's branches)")]
        return [
            Endpoint(
                .get(
                    "products",
                    "Products",
                    action: .inventoryRead,
                    query: APIOperation.paging(
                        ProductsAPI.sorting,
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
            Endpoint(.get("products/{id}", "One product", action: .inventoryRead, response: .json(.ref("Product"))), use: products.show),
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
                    query: APIOperation.paging(StockAPI.batchSorting, branch, ["product_id": (.id, ""), "in_stock": (.boolean, "")]),
                    response: .json(.page(of: "StockBatch"))
                ),
                use: stock.listBatches
            ),
            Endpoint(
                .post("batches", "Receive stock", action: .inventoryWrite, request: .ref("StockReceipt"), response: .json(.ref("StockBatch"))),
                use: stock.receive
            ),
            Endpoint(.get("batches/{id}", "One batch", action: .inventoryRead, response: .json(.ref("StockBatch"))), use: stock.showBatch),
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
                    query: APIOperation.paging(StockAPI.expirySorting, branch, ["days": (.integer(minimum: 0, maximum: 3650), "default 30")]),
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
                    query: APIOperation.paging(StockAPI.registerSorting, branch, ["product_id": (.id, "")]),
                    response: .json(.page(of: "ControlledRegisterEntry"))
                ),
                use: stock.controlledRegister
            ),
        ]
    }

    package func pageEndpoints(_ pages: ModulePages) -> [Endpoint<PageRequestContext>] {
        let (products, batches) = (InventoryPages(pages: pages), BatchPages(pages: pages))
        return [
            .page(.get, "", "list", action: .inventoryRead, template: "list", use: products.list),
            .page(.get, "new", "new form", action: .inventoryWrite, template: "forms/record", use: products.newForm),
            .page(.post, "", "create", action: .inventoryWrite, use: products.create),
            .page(.get, "{id}", "show", action: .inventoryRead, template: "show", use: products.show),
            .page(.post, "{id}/receive", "receive", action: .inventoryWrite, use: products.receive),
            .page(.get, "{id}/edit", "edit form", action: .inventoryWrite, template: "forms/record", use: products.editForm),
            .page(.post, "{id}", "update", action: .inventoryWrite, use: products.update),
            .page(.get, "batches/{id}", "show", action: .inventoryWrite, template: "batch", use: batches.show),
            .page(.post, "batches/{id}/adjust", "adjust", action: .inventoryWrite, use: batches.adjust),
            .page(.post, "batches/{id}/transfer", "transfer", action: .inventoryWrite, use: batches.transfer),
            .page(.get, "register", "controlled register", action: .inventoryRead, template: "register", use: batches.controlledRegister),
        ]
    }
}
