import ClinicBoxCore
import Clinical
import GRDB
import Hummingbird
import Inventory
import Patients
import Prescriptions

/// `/api/v1/sales`: ring up a sale, list and show sales, print a receipt, refund back to stock.
package struct SalesAPI {
    package func list(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let query = ListQuery(request)
        let (date, status) = (query.date("date"), query.choice("status"))
        try query.finish()
        let page = try ListPage(request, sorting: Self.sorting)
        var conditions = try await context.branchConditions(request, column: "sales.branch")
        if let date { conditions.add("sales.sale_date = ?", [date.description]) }
        if let status { conditions.add("sales.status = ?", [status]) }
        return try await page.fetch(context.storage.database(), item: SaleJSON.object, from: "sales", conditions: conditions)
    }

    package func show(_: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id = try context.recordID()
        let branches = context.user.branchFilter
        let json = try await context.storage.database().read { db in
            try Self.changes.requireVisible(db, id: id, branches: branches)
            return try SaleJSON.fetch(db, id: id)
        }
        return .json(bytes: ByteBuffer(string: json))
    }

    /// Sales are written by hand (several tables per sale); this names the table for branch checks and 404s.
    package static let changes = RecordChanges(table: "sales", entity: "sale")
    package static let sorting = ListPage.Sorting(
        [.init(name: "number", column: "id"), .init(name: "date", column: "sale_date")],
        default: "-number"
    )

    /// Rings up a sale (`SaleRecords`), once per `Idempotency-Key`.
    package func create(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        var fields = try await RequestFields.read(request, allowed: SaleForm.fields.names)
        let form = SaleForm.read(&fields, tenant: context.tenant)
        try fields.finish()
        guard let form else { return Response(status: .unprocessableContent) }
        try await context.requireBranch(form.branch)
        let terms = SaleTerms(context)
        return try await Idempotency.write(request, context, fields: fields) { db in
            let saleID = try SaleRecords.create(db, form, terms: terms)
            return .init(status: .created, json: try SaleJSON.fetch(db, id: saleID))
        }
    }
}
