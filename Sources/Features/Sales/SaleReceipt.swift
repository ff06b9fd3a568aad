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

    package static func render(_ db: Database, id: Int64, tenant: Tenant) throws -> String {
        let (time, tenant) = (tenant.readableTime, tenant.definition)
        let sale = try Row.fetchOne(db, sql: "SELECT * FROM sales WHERE id = ?", arguments: [id])!
        let branchName: String = tenant.branches.first { $0.code == sale["branch"] as String }?.name ?? sale["branch"]
        let money = { (amount: Int64) in Money.format(amount, currency: tenant.currency) }
        var lines: [String] = [tenant.branding.companyName, branchName]
        if let phone = tenant.contact.phone { lines.append(phone) }
        if let taxNumber = tenant.taxNumber { lines.append("Tax no. \(taxNumber)") }
        lines += [String(repeating: "-", count: width), "Sale \(sale["number"] as String)  \(time.moment(sale["created_at"]))"]
        if let cashier = try String.fetchOne(db, sql: "SELECT display_name FROM users WHERE id = ?", arguments: [sale["cashier_id"] as Int64]) {
            lines.append("Served by \(cashier)")
        }
        if let prescription = try prescription(db, sale: sale) { lines.append(prescription) }
        for item in try Row.fetchAll(
            db,
            sql:
                "SELECT p.name, i.quantity, i.line_total, i.refunded_quantity FROM sale_items i JOIN products p ON p.id = i.product_id WHERE i.sale_id = ? ORDER BY i.id",
            arguments: [id]
        ) {
            lines.append(row("\(item["quantity"] as Int64) × \(item["name"] as String)", money(item["line_total"])))
            // Which lines a refund took back, under the line itself.
            if item["refunded_quantity"] as Int64 > 0 { lines.append("  \(item["refunded_quantity"] as Int64) returned") }
        }
        lines.append(String(repeating: "-", count: width))
        lines.append(row("Subtotal", money(sale["subtotal"])))
        if sale["discount"] as Int64 > 0 { lines.append(row("Discount", "-" + money(sale["discount"]))) }
        let rate = TenantDefinition.Tax(rateBasisPoints: sale["tax_rate_basis_points"], pricesIncludeTax: sale["prices_include_tax"])
        lines.append(row("Tax \(rate.ratePercent)%\(rate.pricesIncludeTax ? " (included)" : "")", money(sale["tax"])))
        lines.append(row("TOTAL", money(sale["total"])))
        for payment in try Row.fetchAll(db, sql: "SELECT method, amount FROM sale_payments WHERE sale_id = ? ORDER BY id", arguments: [id]) {
            lines.append(row((payment["method"] as String).replacingOccurrences(of: "_", with: " ").capitalized, money(payment["amount"])))
        }
        if sale["change_due"] as Int64 > 0 { lines.append(row("Change", money(sale["change_due"]))) }
        if sale["refunded"] as Int64 > 0 { lines.append(row("Refunded", money(sale["refunded"]))) }
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
