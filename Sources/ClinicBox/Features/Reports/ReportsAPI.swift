extension ReportsModule {
    var schemas: [String: OpenAPISchema] {
        [
            "ReportIndex": .object(["reports": .array(.object(["id": .text, "summary": .text, "columns": .array(.text)]))]),
            "ReportResult": .object([
                "report": .text, "from": .date, "to": .date, "branches": .array(.text),
                "rows": .array(.freeForm),
            ]),
        ]
    }

    var api: [APIOperation] {
        [
            .get("/api/v1/reports", "The reports this tenant can run", action: "reports.read", response: .json(.ref("ReportIndex"))),
            .get(
                "/api/v1/reports/{report}", "Run a report: \(Report.all.map(\.id).joined(separator: ", "))", action: "reports.read",
                query: [
                    "from": (.date, "first day (default 29 days before to)"), "to": (.date, "last day (default today)"), "branch": (.text, ""),
                    "days": (.integer(), "expiring-stock horizon, default 90"), "format": (.choice(["json", "csv"]), "csv for a spreadsheet"),
                ],
                response: .csvOrJSON(.ref("ReportResult"))
            ),
        ]
    }
}
