import GRDB

extension VisitsModule {
    /// Each visit: who saw the patient, the first diagnosis or the assessment, and whether it is signed.
    func chartEntries(_ db: Database, patient: Int64, limit: Int, time: ReadableTime) throws -> [ChartEntry] {
        try Row.fetchAll(
            db.cachedStatement(sql: """
                SELECT v.id, v.number, v.started_at, v.status, v.practitioner_name, v.assessment,
                    (SELECT description FROM visit_diagnoses WHERE visit_id = v.id ORDER BY id LIMIT 1) AS diagnosis
                FROM visits v WHERE v.patient_id = ? ORDER BY v.started_at DESC LIMIT ?
                """),
            arguments: [patient, limit]
        ).map { row in
            let about = (row["diagnosis"] as String?) ?? (row["assessment"] as String?).map { String($0.prefix(120)) }
            return ChartEntry(
                at: row["started_at"], kind: "visit", title: "Visit \(row["number"] as String)",
                detail: [row["practitioner_name"], about, row["status"] == "open" ? "open" : "signed"].compactMap { $0 }.joined(separator: " · "),
                path: "/visits/\(row["id"] as Int64)", action: .clinicalRead
            )
        }
    }
}
