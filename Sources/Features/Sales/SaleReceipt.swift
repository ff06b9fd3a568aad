import ClinicBoxCore
import GRDB
import Hummingbird
import Inventory
import Patients
import Prescriptions

/// `GET /api/v1/sales/{id}/receipt`: a plain-text receipt for a receipt printer (40 columns).
package enum SaleReceipt {
    package static let width = 40

    package static func show(_: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id = try context.recordID(entity: "sale")
        let (branches, tenant) = (context.user.branchFilter, context.tenant)
        let text = try await context.storage.database().read { db in
            try SalesAPI.changes.requireVisible(db, id: id, branches: branches)
            return try render(db, id: id, tenant: tenant)
        }
        return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// What a sale's receipt says, in order: who sold it and when, each item, then the totals and how it was paid.
    /// The 40-column text and the printed receipt (`SalePrintout`) both show exactly this.
    package struct Content: Sendable {
        package var number: String
        package var branch: String
        package var moment: String
        package var notes: [String]
        package var items: [(label: String, amount: String, note: String?)]
        package var totals: [(label: String, amount: String)]
    }

    package static func content(_ db: Database, id: Int64, tenant: Tenant) throws -> Content {
        let time = tenant.readableTime
        let sale = try Row.fetchOne(db, sql: "SELECT * FROM sales WHERE id = ?", arguments: [id])!
        let currency = tenant.definition.currency
        let money = { (amount: Int64) in Money.format(amount, currency: currency) }
        var notes: [String] = []
        if let cashier = try String.fetchOne(db, sql: "SELECT display_name FROM users WHERE id = ?", arguments: [sale["cashier_id"] as Int64]) {
            notes.append("Served by \(cashier)")
        }
        if let prescription = try prescription(db, sale: sale) { notes.append(prescription) }
        let items = try Row.fetchAll(
            db,
            sql:
                "SELECT p.name, i.quantity, i.line_total, i.refunded_quantity FROM sale_items i JOIN products p ON p.id = i.product_id WHERE i.sale_id = ? ORDER BY i.id",
            arguments: [id]
        ).map { item in
            // Which lines a refund took back, under the line itself.
            let returned = item["refunded_quantity"] as Int64 > 0 ? "\(item["refunded_quantity"] as Int64) returned" : nil
            return (label: "\(item["quantity"] as Int64) × \(item["name"] as String)", amount: money(item["line_total"]), note: returned)
        }
        var totals = [(label: "Subtotal", amount: money(sale["subtotal"]))]
        if sale["discount"] as Int64 > 0 { totals.append(("Discount", "-" + money(sale["discount"]))) }
        // Tax per rate, as each line was taxed at its product's class; a sale from before lines kept their rate was
        // taxed at one rate, the sale's.
        let included = (sale["prices_include_tax"] as Bool) ? " (included)" : ""
        let perRate = try Row.fetchAll(
            db,
            sql: "SELECT tax_rate, sum(tax) AS tax FROM sale_items WHERE sale_id = ? AND tax_rate IS NOT NULL GROUP BY tax_rate ORDER BY tax_rate",
            arguments: [id]
        )
        if perRate.isEmpty {
            let rate = TenantDefinition.Tax(rateBasisPoints: sale["tax_rate_basis_points"], pricesIncludeTax: sale["prices_include_tax"])
            totals.append(("Tax \(rate.ratePercent)%\(included)", money(sale["tax"])))
        } else {
            for row in perRate {
                totals.append(("Tax \(TenantDefinition.Tax.percent(row["tax_rate"]))%\(included)", money(row["tax"])))
            }
        }
        totals.append(("TOTAL", money(sale["total"])))
        for payment in try Row.fetchAll(db, sql: "SELECT method, amount FROM sale_payments WHERE sale_id = ? ORDER BY id", arguments: [id]) {
            totals.append(((payment["method"] as String).replacingOccurrences(of: "_", with: " ").capitalized, money(payment["amount"])))
        }
        if sale["change_due"] as Int64 > 0 { totals.append(("Change", money(sale["change_due"]))) }
        if sale["refunded"] as Int64 > 0 { totals.append(("Refunded", money(sale["refunded"]))) }
        return Content(
            number: sale["number"],
            branch: sale["branch"],
            moment: time.moment(sale["created_at"]),
            notes: notes,
            items: items,
            totals: totals
        )
    }

    package static func render(_ db: Database, id: Int64, tenant: Tenant) throws -> String {
        let content = try content(db, id: id, tenant: tenant)
        let definition = tenant.definition
        var lines = [definition.branding.companyName, tenant.branchName(content.branch)]
        if let phone = definition.contact.phone { lines.append(phone) }
        if let taxNumber = definition.taxNumber { lines.append("Tax no. \(taxNumber)") }
        lines += [String(repeating: "-", count: width), "Sale \(content.number)  \(content.moment)"] + content.notes
        for item in content.items {
            lines.append(row(item.label, item.amount))
            if let note = item.note { lines.append("  " + note) }
        }
        lines.append(String(repeating: "-", count: width))
        lines += content.totals.map { row($0.label, $0.amount) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// "Prescription RX-000001", or a paper prescription's reference as written at the till.
    private static func prescription(_ db: Database, sale: Row) throws -> String? {
        if let id = sale["prescription_id"] as Int64?, try db.tableExists("prescriptions"),
            let number = try String.fetchOne(db, sql: "SELECT number FROM prescriptions WHERE id = ?", arguments: [id])
        {
            return "Prescription \(number)"
        }
        return (sale["prescription_reference"] as String?).map { "Prescription ref. \($0)" }
    }

    package static func row(_ label: String, _ amount: String) -> String {
        let space = max(1, width - label.count - amount.count)
        return label + String(repeating: " ", count: space) + amount
    }
}
