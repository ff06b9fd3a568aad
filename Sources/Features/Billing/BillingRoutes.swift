import ClinicBoxCore
import Hummingbird

/// Where billing answers: the price list at `/api/v1/billing/services` and `/billing/services`.
extension BillingModule {
    package var endpoints: [Endpoint<AuthenticatedContext>] {
        let services = PriceListAPI()
        return [
            Endpoint(
                .get(
                    "services",
                    "The price list",
                    action: .billingRead,
                    query: APIOperation.paging(
                        PriceListAPI.sorting,
                        [
                            "q": (.text, "exact code or part of the name"), "kind": (.choice(ServiceForm.kinds), ""),
                            "active": (.boolean, ""),
                        ]
                    ),
                    response: .json(.page(of: "Service"))
                ),
                use: services.list
            ),
            Endpoint(
                .post("services", "Add a price-list entry", action: .billingPrices, request: .ref("ServiceInput"), response: .json(.ref("Service"))),
                use: services.create
            ),
            Endpoint(.get("services/{id}", "One price-list entry", action: .billingRead, response: .json(.ref("Service"))), use: services.show),
            Endpoint(
                .patch(
                    "services/{id}",
                    "Change a price-list entry (invoices already made keep their price)",
                    action: .billingPrices,
                    request: .ref("ServiceUpdate"),
                    response: .json(.ref("Service"))
                ),
                use: services.update
            ),
        ]
    }

    package func pageEndpoints(_ pages: ModulePages) -> [Endpoint<PageRequestContext>] {
        let services = PriceListPages(pages: pages)
        return [
            .page(.get, "", "price list", action: .billingRead, template: "services", use: services.list),
            .page(.get, "services", "price list", action: .billingRead, template: "services", use: services.list),
            .page(.get, "services/new", "new entry form", action: .billingPrices, template: "forms/record", use: services.newForm),
            .page(.post, "services", "add entry", action: .billingPrices, use: services.create),
            .page(.get, "services/{id}/edit", "change entry form", action: .billingPrices, template: "forms/record", use: services.editForm),
            .page(.post, "services/{id}", "change entry", action: .billingPrices, use: services.update),
        ]
    }
}
