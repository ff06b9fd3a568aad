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
            let (id, number, startedAt, status, practitioner, assessment, diagnosis): (Int64, String, String, String, String, String?, String?) =
                (row[0], row[1], row[2], row[3], row[4], row[5], row[6])
            let about = diagnosis ?? assessment.map { String($0.prefix(120)) }
            return ChartEntry(
                at: startedAt, kind: "visit", title: "Visit \(number)",
                detail: practitioner + (about.map { " · " + $0 } ?? "") + (status == "open" ? " · open" : " · signed"),
                path: "/visits/\(id)", action: .clinicalRead
            )
        }
    }
}
