import GRDB

extension TreatmentsModule {
    /// Each treatment on the plan: the procedure and tooth, planned or done.
    func chartEntries(_ db: Database, patient: Int64, limit: Int, time: ReadableTime) throws -> [ChartEntry] {
        try Row.fetchAll(
            db.cachedStatement(sql: "SELECT t.id, t.procedure, t.tooth, t.status, t.done_on, t.created_at, p.number FROM treatments t JOIN patients p ON p.id = t.patient_id WHERE t.patient_id = ? ORDER BY t.id DESC LIMIT ?"),
            arguments: [patient, limit]
        ).map { row in
            let tooth = (row["tooth"] as Int64?).map { " on tooth \($0)" } ?? ""
            let done = (row["done_on"] as String?).flatMap(CalendarDate.init).map { "done \(ReadableTime.day($0))" }
            return ChartEntry(
                at: row["created_at"], kind: "treatment", title: "\(row["procedure"] as String)\(tooth)", detail: done ?? "planned",
                path: "/treatments?patient=\(row["number"] as String)", action: .treatmentsRead
            )
        }
    }
}
