import ClinicBoxCore
import Foundation
import GRDB
import Hummingbird
import Mustache

/// `/inventory/batches/{id}`: one batch, a counted correction with a reason, and a transfer to another branch;
/// `/inventory/register`: the controlled-substance register, newest first.
package struct BatchPages {
    package let pages: ModulePages

    private struct Batch: Sendable {
        package var productID: Int64
        package var product: String
        package var branch: String
        package var number: String
        package var expiry: String
        package var quantity: Int64
    }

    /// The batch, or a `404` also for one in a branch the user may not see.
    private func batch(_ context: PageRequestContext) async throws -> (id: Int64, batch: Batch) {
        let id = try context.recordID(entity: "stock batch")
        let found = try await context.storage.database().read { db in
            try Row.fetchOne(
                db,
                sql:
                    "SELECT b.product_id, p.name, b.branch, b.batch_number, b.expiry, b.quantity FROM stock_batches b JOIN products p ON p.id = b.product_id WHERE b.id = ?",
                arguments: [id]
            ).map {
                Batch(
                    productID: $0["product_id"],
                    product: $0["name"],
                    branch: $0["branch"],
                    number: $0["batch_number"],
                    expiry: ReadableTime.day($0["expiry"] as String),
                    quantity: $0["quantity"]
                )
            }
        }
        guard let found, context.user.mayActIn(branch: found.branch) else { throw RecordChanges.notFound("stock batch") }
        return (id, found)
    }

    package func show(_: Request, _ context: PageRequestContext) async throws -> Response { try await showPage(context) }

    package func showPage(
        _ context: PageRequestContext,
        values: [String: String] = [:],
        errors: [String: String] = [:],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let (id, batch) = try await batch(context)
        let others = context.workBranches.filter { $0 != batch.branch }
        func field(_ name: String, _ label: String, _ kind: FormField.Kind = .input(type: "text")) -> FormField {
            FormField(name: name, label: label, kind: kind, value: values[name] ?? "", required: true, autocomplete: "off", error: errors[name])
        }
        var data: [String: Any] = [
            "product": batch.product, "productHref": "\(context.basePath)/inventory/\(batch.productID)",
            "branch": context.tenant.branchName(batch.branch), "number": batch.number,
            "expiry": batch.expiry, "quantity": String(batch.quantity),
            "adjustAction": "\(context.basePath)/inventory/batches/\(id)/adjust",
            "transferAction": "\(context.basePath)/inventory/batches/\(id)/transfer",
            "adjustFields": [field("change", "Change (e.g. -2 for two broken, +1 found)", .input(type: "number")), field("reason", "Reason")],
            "canTransfer": !others.isEmpty,
            "transferFields": [
                field("to_branch", "To branch", .select(options: others.map { ($0, context.tenant.branchName($0)) })),
                field("transfer_quantity", "Quantity", .input(type: "number")),
            ],
        ]
        if let message = errors["message"] { data["message"] = message }
        return pages.page(context, "batch", title: "Batch \(batch.number)", data: data, status: status)
    }

    package func adjust(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let (id, batch) = try await batch(context)
        var errors: [String: String] = [:]
        let change = Int64((body["change"] ?? "").replacingOccurrences(of: "+", with: "")).flatMap { $0 != 0 && abs($0) <= 10_000_000 ? $0 : nil }
        if change == nil { errors["change"] = "write a whole number other than 0, negative to take away" }
        let reason = body["reason"]?.trimmingSpaces ?? ""
        if reason.isEmpty || reason.count > 500 { errors["reason"] = "is required (at most 500 characters)" }
        guard errors.isEmpty, let change else {
            return try await showPage(context, values: body.values, errors: errors, status: .unprocessableContent)
        }
        let actor = context.actor
        do {
            _ = try await context.storage.database().write { db in
                try StockMovements.adjust(db, batch: id, change: change, reason: reason, actor: actor)
            }
            return Pages.seeOther("\(context.basePath)/inventory/\(batch.productID)?received=1")
        } catch let problem as Problem where problem.status == .unprocessableContent || problem.status == .conflict {
            return try await showPage(context, values: body.values, errors: ["message": problem.detail], status: problem.status)
        }
    }

    package func transfer(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let (id, batch) = try await batch(context)
        var errors: [String: String] = [:]
        let destination = body["to_branch"] ?? ""
        if destination == batch.branch || !context.mayWork(in: destination) {
            errors["to_branch"] = "choose another of your branches"
        }
        let quantity = Int64(body["transfer_quantity"] ?? "").flatMap { (1...10_000_000).contains($0) ? $0 : nil }
        if quantity == nil { errors["transfer_quantity"] = "must be a whole number from 1" }
        guard errors.isEmpty, let quantity else {
            return try await showPage(context, values: body.values, errors: errors, status: .unprocessableContent)
        }
        let actor = context.actor
        do {
            _ = try await context.storage.database().write { db in
                try StockMovements.transfer(db, batch: id, from: batch.branch, to: destination, quantity: quantity, actor: actor)
            }
            return Pages.seeOther("\(context.basePath)/inventory/\(batch.productID)?received=1")
        } catch let problem as Problem where problem.status == .unprocessableContent || problem.status == .conflict {
            return try await showPage(context, values: body.values, errors: ["message": problem.detail], status: problem.status)
        }
    }

    package func controlledRegister(_: Request, _ context: PageRequestContext) async throws -> Response {
        var conditions = SQLConditions()
        if let only = context.user.branchFilter { conditions.add(column: "r.branch", in: only) }
        let sql = """
            SELECT r.at, p.name, r.branch, r.change, r.balance_after, r.kind, r.reason, r.reference, COALESCE(u.display_name, r.user_email) AS who
            FROM controlled_register r JOIN products p ON p.id = r.product_id LEFT JOIN users u ON u.id = r.user_id
            \(conditions.whereClause) ORDER BY r.id DESC LIMIT 200
            """
        let (arguments, time) = (conditions.arguments, context.tenant.readableTime)
        let rows = try await context.storage.database().read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row -> [[String: String]] in
                let change: Int64 = row["change"]
                let cells = [
                    time.moment(row["at"]), row["name"], context.tenant.branchName(row["branch"]), change > 0 ? "+\(change)" : String(change),
                    String(row["balance_after"] as Int64), Self.movement(row["kind"]),
                    [row["reason"] as String?, row["reference"] as String?].compactMap { $0 }.joined(separator: " · "), row["who"] ?? "",
                ]
                return zip(Self.registerColumns, cells).map { ["label": $0, "value": $1] }
            }
        }
        return pages.page(
            context,
            "register",
            title: "Controlled-substance register",
            data: ["rows": rows, "hasRows": !rows.isEmpty] as [String: Any]
        )
    }

    /// The register's columns, which label each cell when a phone stacks the rows.
    package static let registerColumns = ["Time", "Product", "Branch", "Change", "Balance", "What", "Reason / reference", "By"]

    /// A stock movement's kind (`stock_movements.kind`) as the register reads it.
    package static func movement(_ kind: String) -> String {
        switch kind {
        case "receive": "received"
        case "adjust": "count corrected"
        case "transfer_out": "moved out"
        case "transfer_in": "moved in"
        case "dispense": "dispensed"
        case "sale": "sold"
        case "refund": "returned"
        default: kind
        }
    }
}
