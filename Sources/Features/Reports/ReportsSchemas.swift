import ClinicBoxCore

/// The OpenAPI schemas of the reports module's requests and answers, named by its endpoints in `ReportsRoutes.swift`.
extension ReportsModule {
    package var schemas: [String: OpenAPISchema] {
        [
            "ReportIndex": .object(["reports": .array(.object(["id": .text, "summary": .text, "columns": .array(.text)]))]),
            "ReportResult": .object([
                "report": .text, "from": .date, "to": .date, "branches": .array(.text),
                "rows": .array(.freeForm),
            ]),
        ]
    }

}
