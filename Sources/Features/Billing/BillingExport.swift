import ClinicBoxCore

extension BillingModule {
    /// Issued invoices, their lines and the payments, in the patient's own copy (drafts are not bills yet).
    package var patientExport: [PatientExportTable] {
        [
            PatientExportTable(
                key: "invoices",
                title: "Invoices",
                sql: "SELECT * FROM invoices WHERE patient_id = :patient AND status != 'draft' ORDER BY issued_at, id",
                summary: [
                    ("number", "Invoice"), ("issued_on", "Issued"), ("currency", "Currency"), ("total", "Total"), ("paid", "Paid"),
                    ("credited", "Credited"),
                    ("status", "Status"),
                ],
                money: ["total", "paid", "credited"]
            ),
            PatientExportTable(
                key: "invoice_lines",
                title: "Invoice lines",
                sql: """
                    SELECT l.*, i.number AS invoice_number FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
                    WHERE i.patient_id = :patient AND i.status != 'draft' ORDER BY i.issued_at, l.position
                    """,
                summary: [("invoice_number", "Invoice"), ("description", "Service"), ("quantity", "Quantity"), ("total", "Total")],
                money: ["total"]
            ),
            PatientExportTable(
                key: "payments",
                title: "Payments",
                sql: "SELECT * FROM payments WHERE patient_id = :patient ORDER BY received_on, id",
                summary: [("number", "Receipt"), ("received_on", "Received"), ("method", "Method"), ("amount", "Amount")],
                money: ["amount"]
            ),
        ]
    }
}
