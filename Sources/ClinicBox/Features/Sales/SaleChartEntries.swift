import GRDB

extension SalesModule {
    /// Each sale to the patient: what was bought (one line per product) and its number.
    func chartEntries(_ db: Database, patient: Int64, limit: Int, time: ReadableTime) throws -> [ChartEntry] {
        try Row.fetchAll(
            db.cachedStatement(sql: """
                SELECT s.id, s.number, s.created_at, p.name, i.quantity FROM sales s JOIN sale_items i ON i.sale_id = s.id JOIN products p ON p.id = i.product_id
                WHERE s.patient_id = ? ORDER BY s.id DESC, i.id LIMIT ?
                """),
            arguments: [patient, limit]
        ).map { row in
            ChartEntry(
                at: row["created_at"], kind: "sale", title: "Sold \(row["name"] as String) × \(row["quantity"] as Int64)", detail: "sale \(row["number"] as String)",
                path: "/sales/\(row["id"] as Int64)", action: .salesRead
            )
        }
    }
}
