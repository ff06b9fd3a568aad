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

    var endpoints: [Endpoint<AuthenticatedContext>] {
        [
            Endpoint(.get("", "The reports this tenant can run", action: .reportsRead, response: .json(.ref("ReportIndex")))) { _, context in
                try await ReportRoutes.index(context)
            },
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
                use: ReportRoutes.run
            ),
        ]
    }
}
