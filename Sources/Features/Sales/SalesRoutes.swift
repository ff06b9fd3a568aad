import ClinicBoxCore
import Hummingbird
import Inventory
import Patients
import Prescriptions

/// Where the till answers: the API at `/api/v1/sales`, the till and the sales history at `/sales`. Each endpoint names its permission and its handler, which lives in `SalesAPI` or a `…Pages` type.
extension SalesModule {
    package var endpoints: [Endpoint<AuthenticatedContext>] {
        let api = SalesAPI()
        return [
            Endpoint(
                .get(
                    "",
                    "Sales",
                    action: .salesRead,
                    query: APIOperation.paging(
                        SalesAPI.sorting,
                        [
                            "branch": (.text, ""), "date": (.date, "local sale date"),
                            "status": (.choice(["completed", "partially_refunded", "refunded"]), ""),
                        ]
                    ),
                    response: .json(.page(of: "Sale"))
                ),
                use: api.list
            ),
            Endpoint(
                .post(
                    "",
                    "Ring up a sale: stock first expiry first, tax, payments; send an Idempotency-Key",
                    action: .salesWrite,
                    request: .ref("SaleInput"),
                    response: .json(.ref("Sale"))
                ),
                use: api.create
            ),
            Endpoint(.get("{id}", "One sale", action: .salesRead, response: .json(.ref("Sale"))), use: api.show),
            Endpoint(
                .get("{id}/receipt", "A 40-column plain-text receipt", action: .salesRead, response: .text("text/plain")),
                use: SaleReceipt.show
            ),
            Endpoint(
                .post(
                    "{id}/refunds",
                    "Refund units: they are quarantined unless restock says they are fit for resale",
                    action: .salesRefund,
                    request: .ref("Refund"),
                    response: .json(.ref("Sale"))
                ),
                use: SaleRefunds.create
            ),
        ]
    }

    package func pageEndpoints(_ pages: ModulePages) -> [Endpoint<PageRequestContext>] {
        let (till, history) = (TillPage(pages: pages), SaleHistoryPages(pages: pages))
        return [
            .page(.get, "", "show", action: .salesWrite, template: "till", use: till.show),
            .page(.post, "", "act", action: .salesWrite, use: till.act),
            .page(.get, "history", "history", action: .salesRead, template: "history", use: history.history),
            .page(.get, "{id}", "receipt", action: .salesRead, template: "receipt", use: history.receipt),
            .page(.get, "{id}/print", "printed receipt", action: .salesRead, template: "receipt-print", use: SalePrintout(pages: pages).show),
            .page(.post, "{id}/refund", "refund", action: .salesRefund, use: history.refund),
        ]
    }
}
