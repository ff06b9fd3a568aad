import ClinicBoxCore
import Foundation
import GRDB
import Hummingbird
import Inventory
import Mustache
import Patients
import Prescriptions

/// `/sales/history` (a day's sales in the user's branches) and `/sales/{id}` (the receipt, and refunds of some or
/// all units back to the batches they came from, with a reason).
package struct SaleHistoryPages {
    package let pages: ModulePages

    package struct Line: TemplateValues, Sendable {
        package var href: String
        package var number: String
        package var time: String
        package var branch: String
        package var total: String
        package var status: String

        package static let templateNames: TemplateNames<Line> = [
            "href": { $0.href },
            "number": { $0.number },
            "time": { $0.time },
            "branch": { $0.branch },
            "total": { $0.total },
            "status": { $0.status.replacingOccurrences(of: "_", with: " ") },
        ]
    }

    /// A day's sales in one or all of the user's branches, in the clinic's local time; `number` opens a sale's
    /// receipt directly (the number printed on it), which is how a refund starts.
    package func history(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let date = try context.day(request)
        let branches = context.workBranches
        let branch = query.get("branch").flatMap { branches.contains($0) ? $0 : nil }
        let number = query.get("number")?.trimmingSpaces.uppercased() ?? ""
        let (base, currency, timeZone) = (context.basePath, context.tenant.definition.currency, context.tenant.timeZone)
        let database = try await context.storage.database()
        // Sales of a branch since removed from the YAML stay visible to users who see every branch.
        var visible = SQLConditions()
        if let only = branch.map({ [$0] }) ?? context.user.branchFilter { visible.add(column: "branch", in: only) }
        if !number.isEmpty {
            var byNumber = visible
            byNumber.add("number = ?", [number])
            let sql = "SELECT id FROM sales \(byNumber.whereClause)"
            let arguments = byNumber.arguments
            if let found = try await database.read({ db in try Int64.fetchOne(db, sql: sql, arguments: arguments) }) {
                return Pages.seeOther("\(base)/sales/\(found)")
            }
        }
        var conditions = visible
        conditions.add("sale_date = ?", [date.description])
        let sql = "SELECT id, number, created_at, branch, total, refunded, status FROM sales \(conditions.whereClause) ORDER BY id DESC"
        let arguments = conditions.arguments
        let lines = try await database.read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                let time = LocalDateTime(row["created_at"], timeZone: timeZone).map { String($0.local.suffix(5)) } ?? ""
                return Line(
                    href: "\(base)/sales/\(row["id"] as Int64)",
                    number: row["number"],
                    time: time,
                    branch: context.tenant.branchName(row["branch"]),
                    total: Money.format((row["total"] as Int64) - (row["refunded"] as Int64), currency: currency),
                    status: row["status"]
                )
            }
        }
        var data: [String: Any] = [
            "date": date.description, "day": ReadableTime.day(date), "previous": date.adding(days: -1).description,
            "next": date.adding(days: 1).description,
            "lines": lines, "hasLines": !lines.isEmpty, "number": number,
            "branches": context.branchOptions(branches, selected: branch), "hasBranches": branches.count > 1,
        ]
        if !number.isEmpty { data["notFound"] = number }
        return pages.page(context, "history", title: "Sales \(date)", data: data, status: number.isEmpty ? .ok : .notFound)
    }

    package func receipt(_ request: Request, _ context: PageRequestContext) async throws -> Response { try await receiptPage(request, context) }

    package func receiptPage(
        _ request: Request,
        _ context: PageRequestContext,
        errors: [String: String] = [:],
        typedReason: String = "",
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let id = try context.recordID(entity: "sale")
        let (branches, tenant) = (context.user.branchFilter, context.tenant)
        let (text, items) = try await context.storage.database().read { db -> (String, [[String: String]]) in
            try SalesAPI.changes.requireVisible(db, id: id, branches: branches)
            let items = try Row.fetchAll(
                db,
                sql:
                    "SELECT i.id, p.name, i.quantity, i.refunded_quantity FROM sale_items i JOIN products p ON p.id = i.product_id WHERE i.sale_id = ? ORDER BY i.id",
                arguments: [id]
            ).map { row -> [String: String] in
                [
                    "id": String(row["id"] as Int64), "name": row["name"],
                    "left": String((row["quantity"] as Int64) - (row["refunded_quantity"] as Int64)),
                ]
            }
            return (try SaleReceipt.render(db, id: id, tenant: tenant), items)
        }
        let refundable = items.enumerated().filter { $0.element["left"] != "0" }.map { index, item -> [String: Any] in
            var line: [String: Any] = item
            line["index"] = String(index)
            if let error = errors["items[\(index)].quantity"] { line["error"] = error }
            return line
        }
        var data: [String: Any] = [
            "receipt": text, "id": String(id), "items": refundable, "canRefund": context.allows(.salesRefund) && !refundable.isEmpty,
            "reason": FormField(name: "reason", label: "Reason", value: typedReason, required: true, autocomplete: "off", error: errors["reason"]),
        ]
        if SaleRefunds.mayRestock(context.tenant.permissions, context.user) {
            data["restock"] = FormField(
                name: "restock",
                label: "Fit for resale: put the units back into stock (otherwise they are quarantined)",
                kind: .checkbox,
                value: ""
            )
        }
        if let message = errors["message"] { data["message"] = message }
        let query = request.uri.queryParameters
        let notice =
            switch query.get("refunded") {
            case "restocked": "Refund recorded; the units are back in stock, fit for resale."
            case "quarantined": "Refund recorded; the units are quarantined, not for sale."
            default: query.get("new") == "1" ? "Sale completed." : nil
            }
        return pages.page(context, "receipt", title: "Receipt", data: data, status: status, flash: notice)
    }

    package func refund(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let id = try context.recordID(entity: "sale")
        var items: [(Int64, Int64)] = []
        var index = 0
        while let itemID = body["item_\(index)"].flatMap({ Int64($0) }) {
            if let quantity = Int64(body["quantity_\(index)"] ?? ""), quantity > 0 { items.append((itemID, quantity)) }
            index += 1
        }
        let reason = body["reason"]?.trimmingSpaces ?? ""
        var errors: [String: String] = [:]
        if reason.isEmpty { errors["reason"] = "is required (it goes into the audit log)" }
        if items.isEmpty { errors["message"] = "Enter how many units of at least one item come back." }
        guard errors.isEmpty else {
            return try await receiptPage(request, context, errors: errors, typedReason: reason, status: .unprocessableContent)
        }
        let (actor, branches) = (context.actor, context.user.branchFilter)
        // Only someone who may say so puts returned medicine back on the shelf; the box is offered to them only.
        let restock = body["restock"] == "true" && SaleRefunds.mayRestock(context.tenant.permissions, context.user)
        do {
            // Money leaves the till: the first press asks, naming the amount and where it goes back to.
            guard body["confirmed"] == "1" else {
                let (amount, methods) = try await context.storage.database().write { [items] db in
                    try SaleRefunds.preview(db, sale: id, items: items, reason: reason, restock: restock, actor: actor, branches: branches)
                }
                return confirmRefund(context, sale: id, body: body, amount: amount, methods: methods, restock: restock)
            }
            _ = try await context.storage.database().write { [items] db in
                try SaleRefunds.record(db, sale: id, items: items, reason: reason, restock: restock, actor: actor, branches: branches)
            }
            return Pages.seeOther("\(context.basePath)/sales/\(id)?refunded=\(restock ? "restocked" : "quarantined")")
        } catch let problem as Problem where problem.status == .unprocessableContent {
            var errors = problem.fieldErrors
            errors["message"] = problem.detail
            return try await receiptPage(request, context, errors: errors, typedReason: reason, status: .unprocessableContent)
        }
    }

    /// "Refund GBP 5.00?", with where it goes back to; the answer sends the same lines again, confirmed.
    private func confirmRefund(
        _ context: PageRequestContext,
        sale id: Int64,
        body: FormBody,
        amount: Int64,
        methods: [String],
        restock: Bool
    ) -> Response {
        let money = Money.format(amount, currency: context.tenant.definition.currency)
        let names = methods.map { $0.replacingOccurrences(of: "_", with: " ") }
        let back =
            names.count == 1
            ? "The sale was paid by \(names[0]): give \(money) back by \(names[0])."
            : "The sale was paid by \(names.joined(separator: " and ")): give \(money) back the same way."
        let hidden = body.values.filter { $0.key != "csrf_token" }.sorted { $0.key < $1.key }.map { ["name": $0.key, "value": $0.value] }
        let data: [String: Any] = [
            "question": "Refund \(money) to the customer?",
            "consequence": back
                + (restock ? " The units go back into stock, fit for resale." : " The units are quarantined: counted, not sold again."),
            "action": "\(context.basePath)/sales/\(id)/refund", "button": "Refund \(money)", "cancelLabel": "Keep the sale as it is",
            "cancel": "\(context.basePath)/sales/\(id)", "hidden": hidden + [["name": "confirmed", "value": "1"]],
        ]
        return pages.page(context, core: "admin/confirm", title: "Refund", data: data)
    }
}
