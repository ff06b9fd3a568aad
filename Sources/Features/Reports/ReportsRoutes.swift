import ClinicBoxCore
import Hummingbird

/// Where reports answer: the API at `/api/v1/reports`, the pages at `/reports`. Each endpoint names its permission
/// and its handler, which lives in `ReportsAPI` or `ReportsPages`.
extension ReportsModule {
    package var endpoints: [Endpoint<AuthenticatedContext>] {
        [
            Endpoint(.get("", "The reports this tenant can run", action: .reportsRead, response: .json(.ref("ReportIndex"))), use: ReportsAPI.index),
            Endpoint(
                .get(
                    "{report}",
                    "Run one of the reports GET /api/v1/reports lists",
                    action: .reportsRead,
                    query: [
                        "from": (.date, "first day (default 29 days before to)"), "to": (.date, "last day (default today)"), "branch": (.text, ""),
                        "days": (.integer(), "expiring-stock horizon, default 90"), "format": (.choice(["json", "csv"]), "csv for a spreadsheet"),
                    ],
                    response: .csvOrJSON(.ref("ReportResult"))
                ),
                use: ReportsAPI.run
            ),
        ]
    }

    package func pageEndpoints(_ pages: ModulePages) -> [Endpoint<PageRequestContext>] {
        let reports = ReportsPages(pages: pages)
        return [
            .page(.get, "", "index", action: .reportsRead, template: "index", use: reports.index),
            .page(.get, "{report}", "show", action: .reportsRead, template: "show", use: reports.show),
        ]
    }
}
