import ClinicBoxCore
import Hummingbird

/// `/sales/{id}/print`: the till receipt on the receipt roll, under the letterhead — what `SaleReceipt` says, as
/// the browser prints it (`printing.receipt_width` wide, as long as the receipt).
package struct SalePrintout {
    package let pages: ModulePages

    package func show(_: Request, _ context: PageRequestContext) async throws -> Response {
        let id = try context.recordID(entity: "sale")
        let (branches, tenant) = (context.user.branchFilter, context.tenant)
        let content = try await context.storage.database().read { db in
            try SalesAPI.changes.requireVisible(db, id: id, branches: branches)
            return try SaleReceipt.content(db, id: id, tenant: tenant)
        }
        let data: [String: Any] = [
            "number": content.number, "moment": content.moment, "notes": content.notes,
            "items": content.items.map { item in ["label": item.label, "amount": item.amount, "note": item.note].compactMapValues { $0 } },
            "totals": content.totals.map { ["label": $0.label, "amount": $0.amount, "strong": $0.label == "TOTAL"] as [String: Any] },
        ]
        let width = tenant.definition.printing.receiptWidth
        let lines =
            content.notes.count + content.totals.count
            + content.items.reduce(0) { $0 + PaperSize.rollLines($1.label, width: width) + ($1.note == nil ? 0 : 1) }
        return pages.printout(
            context,
            "receipt-print",
            title: "Receipt \(content.number)",
            paper: .roll(width: width, lines: lines),
            branch: content.branch,
            back: "\(context.basePath)/sales/\(id)",
            data: data
        )
    }
}
