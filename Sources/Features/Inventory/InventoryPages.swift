import ClinicBoxCore
import Foundation
import GRDB
import Hummingbird
import Mustache

/// `/inventory` pages: find a product (SKU or name) with its in-date stock, see its batches, add a product, and
/// receive stock into a branch.
package struct InventoryPages {
    package let pages: ModulePages

    package struct Line: TemplateValues, Sendable {
        package var href: String
        package var sku: String
        package var name: String
        package var stock: Int64
        package var reorderLevel: Int64

        package static let templateNames: TemplateNames<Line> = [
            "href": { $0.href },
            "sku": { $0.sku },
            "name": { $0.name },
            "stock": { String($0.stock) },
            "low": { $0.reorderLevel > 0 && $0.stock <= $0.reorderLevel },
        ]
    }

    package func list(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let q = request.uri.queryParameters.get("q")?.trimmingSpaces ?? ""
        let page = try ListPage(request, sorting: ProductsAPI.sorting)
        var conditions = SQLConditions()
        if !q.isEmpty {
            let like = "%" + q.lowercased().likeEscaped + "%"
            conditions.add(
                "(products.sku = ? OR products.sort_name LIKE ? ESCAPE '\\' OR lower(products.generic_name) LIKE ? ESCAPE '\\')",
                [q, like, like]
            )
        }
        let branches = context.workBranches
        let today = CalendarDate.today(in: context.tenant.timeZone).description
        let base = context.basePath
        let database = try await context.storage.database()
        // Stock is summed over the user's branches, batches still in date only.
        let (lines, next) = try await page.rows(
            database,
            columns: """
                products.sku, products.name, products.strength, products.reorder_level,
                (SELECT coalesce(sum(quantity), 0) FROM stock_batches WHERE product_id = products.id AND expiry >= ? AND branch IN (\(branches.map { _ in "?" }.joined(separator: ", ")))) AS stock
                """,
            columnArguments: [today] + StatementArguments(branches),
            from: "products",
            conditions: conditions
        ) { row in
            let strength = (row["strength"] as String?).map { " \($0)" } ?? ""
            return Line(
                href: "\(base)/inventory/\(row["id"] as Int64)",
                sku: row["sku"],
                name: (row["name"] as String) + strength,
                stock: row["stock"],
                reorderLevel: row["reorder_level"]
            )
        }
        var data: [String: Any] = [
            "q": q, "lines": lines, "hasLines": !lines.isEmpty, "searched": !q.isEmpty, "canWrite": context.allows(.inventoryWrite),
        ]
        data["more"] = ListPage.nextPageLink("\(base)/inventory", cursor: next, keeping: [("q", q)])
        return pages.page(context, "list", title: "Stock", data: data)
    }

    package func show(_ request: Request, _ context: PageRequestContext) async throws -> Response { try await showPage(request, context) }

    package func showPage(
        _ request: Request,
        _ context: PageRequestContext,
        receiveValues: [String: String] = [:],
        receiveErrors: [String: String] = [:],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let id = try context.recordID(entity: "product")
        let branches = context.workBranches
        let today = CalendarDate.today(in: context.tenant.timeZone).description
        let currency = context.tenant.definition.currency
        let (product, batches, quarantined) = try await context.storage.database().read { db in
            let product = try ProductRecords.changes.current(db, id: id)
            var conditions = SQLConditions()
            conditions.add("product_id = ?", [id])
            conditions.add(column: "branch", in: branches.isEmpty ? [""] : branches)
            let batches = try Row.fetchAll(
                db,
                sql:
                    "SELECT id, branch, batch_number, expiry, quantity, selling_price FROM stock_batches \(conditions.whereClause) AND quantity > 0 ORDER BY branch, expiry",
                arguments: conditions.arguments
            ).map { row in
                BatchLine(
                    id: row["id"],
                    branch: context.tenant.branchName(row["branch"]),
                    batch: row["batch_number"],
                    expiry: ReadableTime.day(row["expiry"] as String),
                    quantity: row["quantity"],
                    price: Money.format(row["selling_price"], currency: currency),
                    expired: (row["expiry"] as String) < today
                )
            }
            // Units that came back and wait in quarantine, per branch: counted, never sold.
            let quarantined = try Row.fetchAll(
                db,
                sql:
                    "SELECT branch, sum(quantity) AS units, max(at) AS latest FROM stock_quarantine \(conditions.whereClause) GROUP BY branch ORDER BY branch",
                arguments: conditions.arguments
            ).map {
                [
                    "branch": context.tenant.branchName($0["branch"]), "units": String($0["units"] as Int64),
                    "latest": context.tenant.readableTime.moment($0["latest"]),
                ]
            }
            return (ProductDetails(row: product), batches, quarantined)
        }
        let received = request.uri.queryParameters.get("received") == "1" ? "Stock received." : nil
        func field(_ name: String, _ label: String, _ kind: FormField.Kind = .input(type: "text")) -> FormField {
            FormField(
                name: name,
                label: label,
                kind: kind,
                value: receiveValues[name] ?? "",
                required: true,
                autocomplete: "off",
                error: receiveErrors[name]
            )
        }
        let receiveFields = [
            field("branch", "Branch", .select(options: branches.map { ($0, $0) })), field("batch_number", "Batch number"),
            field("expiry", "Expiry", .input(type: "date")), field("quantity", "Quantity", .input(type: "number")),
            field("cost_price", "Cost price (each)"), field("selling_price", "Selling price (each)"),
        ]
        var data: [String: Any] = product.fields
        data["id"] = String(id)
        data["batches"] = batches
        data["hasBatches"] = !batches.isEmpty
        (data["quarantined"], data["hasQuarantined"]) = (quarantined, !quarantined.isEmpty)
        data["canWrite"] = context.allows(.inventoryWrite)
        data["receiveFields"] = receiveFields
        data["receiveAction"] = "\(context.basePath)/inventory/\(id)/receive"
        return pages.page(context, "show", title: product.title, data: data, status: status, flash: received)
    }

    package func newForm(_: Request, _ context: PageRequestContext) async throws -> Response {
        form(context, values: [:], errors: [:])
    }

    package func create(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        var fields = try body.fields(of: ProductForm.fields)
        var form = ProductForm()
        form.apply(&fields, tax: context.tenant.definition.tax)
        guard fields.errors.isEmpty else { return self.form(context, values: body.values, errors: fields.errors, status: .unprocessableContent) }
        let actor = context.actor
        do {
            let id = try await context.storage.database().write { [form] db in try ProductRecords.create(db, form, actor: actor) }
            return Pages.seeOther("\(context.basePath)/inventory/\(id)")
        } catch let problem as Problem where problem.status == .conflict {
            return self.form(context, values: body.values, errors: problem.fieldErrors, status: .conflict)
        }
    }

    package func editForm(_: Request, _ context: PageRequestContext) async throws -> Response {
        let id = try context.recordID(entity: "product")
        let values = try await context.storage.database().read { db in
            ProductForm.fields.editValues(of: try ProductRecords.changes.current(db, id: id))
        }
        return form(context, values: values, errors: [:], editing: id)
    }

    package func update(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let id = try context.recordID(entity: "product")
        let version = Int64(body["version"] ?? "") ?? 0
        let fields = try body.fields(of: ProductForm.fields, ignoring: ["csrf_token", "version"])
        let (actor, tax) = (context.actor, context.tenant.definition.tax)
        do {
            try await context.storage.database().write { db in
                try ProductRecords.update(db, id: id, version: version, fields: fields, tax: tax, actor: actor)
            }
            return Pages.seeOther("\(context.basePath)/inventory/\(id)")
        } catch let problem as Problem where problem.status == .unprocessableContent || problem.status == .conflict {
            return form(
                context,
                values: body.values,
                errors: problem.fieldErrors,
                status: problem.status,
                editing: id,
                message: problem.status == .conflict ? problem.detail : nil
            )
        }
    }

    private func form(
        _ context: PageRequestContext,
        values: [String: String],
        errors: [String: String],
        status: HTTPResponse.Status = .ok,
        editing: Int64? = nil,
        message: String? = nil
    ) -> Response {
        let fields = ProductForm.fields.formFields(values: values, errors: errors, autocomplete: "off")
        let title = editing == nil ? "New product" : "Edit product"
        var data: [String: Any] = [
            "title": title, "fields": fields, "hasErrors": !errors.isEmpty,
            "action": "\(context.basePath)/inventory" + (editing.map { "/\($0)" } ?? ""),
            "cancel": "\(context.basePath)/inventory" + (editing.map { "/\($0)" } ?? ""),
        ]
        if let version = values["version"], editing != nil { data["version"] = version }
        if let message { data["message"] = message }
        return pages.page(context, core: "forms/record", title: title, data: data, status: status)
    }

    package func receive(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let id = try context.recordID(entity: "product")
        let currency = context.tenant.definition.currency
        var errors: [String: String] = [:]
        let branch = body["branch"] ?? ""
        if !context.mayWork(in: branch) { errors["branch"] = "choose one of your branches" }
        let batch = body["batch_number"]?.trimmingSpaces ?? ""
        if batch.isEmpty || batch.count > 64 { errors["batch_number"] = "is required (at most 64 characters)" }
        let expiry = body["expiry"].flatMap(CalendarDate.init)
        if expiry == nil {
            errors["expiry"] = "must be a date"
        } else if expiry! <= .today(in: context.tenant.timeZone) {
            errors["expiry"] = "must be after today: expired stock cannot be received"
        }
        let quantity = Int64(body["quantity"] ?? "").flatMap { (1...10_000_000).contains($0) ? $0 : nil }
        if quantity == nil { errors["quantity"] = "must be a whole number from 1" }
        let cost = body["cost_price"].flatMap { Money.parse($0, currency: currency) }
        if cost == nil { errors["cost_price"] = "write an amount like 1.20" }
        let price = body["selling_price"].flatMap { Money.parse($0, currency: currency) }
        if price == nil { errors["selling_price"] = "write an amount like 3.50" }
        guard errors.isEmpty, let expiry, let quantity, let cost, let price else {
            return try await showPage(request, context, receiveValues: body.values, receiveErrors: errors, status: .unprocessableContent)
        }
        let receipt = StockReceipt(productID: id, branch: branch, batchNumber: batch, expiry: expiry, quantity: quantity, cost: cost, price: price)
        let actor = context.actor
        do {
            _ = try await context.storage.database().write { db in try receipt.record(db, actor: actor) }
            return Pages.seeOther("\(context.basePath)/inventory/\(id)?received=1")
        } catch let problem as Problem where problem.status == .unprocessableContent {
            return try await showPage(request, context, receiveValues: body.values, receiveErrors: problem.fieldErrors, status: .unprocessableContent)
        }
    }
}

/// One batch on a product's page.
package struct BatchLine: TemplateValues, Sendable {
    package var id: Int64
    package var branch: String
    package var batch: String
    package var expiry: String
    package var quantity: Int64
    package var price: String
    package var expired: Bool

    package static let templateNames: TemplateNames<BatchLine> = [
        "id": { String($0.id) },
        "branch": { $0.branch },
        "batch": { $0.batch },
        "expiry": { $0.expiry },
        "quantity": { String($0.quantity) },
        "price": { $0.price },
        "expired": { $0.expired },
    ]
}

/// A product as its page shows it.
package struct ProductDetails: Sendable {
    package var title: String
    package var fields: [String: Any & Sendable]

    package init(row: Row) {
        let name: String = row["name"]
        let strength: String? = row["strength"]
        title = strength.map { "\(name) \($0)" } ?? name
        var fields: [String: Any & Sendable] = [
            "name": title, "sku": row["sku"] as String, "requiresPrescription": row["requires_prescription"] as Bool,
            "controlled": row["controlled"] as Bool, "active": row["active"] as Bool, "reorderLevel": String(row["reorder_level"] as Int64),
        ]
        if let generic = row["generic_name"] as String? { fields["genericName"] = generic }
        if let form = row["form"] as String? { fields["form"] = form }
        self.fields = fields
    }
}
