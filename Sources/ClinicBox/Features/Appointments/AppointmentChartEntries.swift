import GRDB

extension AppointmentsModule {
    /// Each appointment: with whom, why, and its status.
    func chartEntries(_ db: Database, patient: Int64, limit: Int, time: ReadableTime) throws -> [ChartEntry] {
        try Row.fetchAll(
            db.cachedStatement(sql: """
                SELECT a.id, a.starts_at, a.local_start, a.status, a.reason, u.display_name FROM appointments a JOIN users u ON u.id = a.practitioner_id
                WHERE a.patient_id = ? ORDER BY a.starts_at DESC LIMIT ?
                """),
            arguments: [patient, limit]
        ).map { row in
            // Columns by position: a chart reads hundreds of rows, and a lookup by name compares names each time.
            let (id, startsAt, localStart, status, reason, practitioner): (Int64, String, String, String, String?, String) = (row[0], row[1], row[2], row[3], row[4], row[5])
            return ChartEntry(
                at: startsAt, kind: "appointment", title: "Appointment \(time.moment(localStart))",
                detail: "with \(practitioner)" + (reason.map { " · " + $0 } ?? "") + " · " + status.spacedWords,
                path: "/appointments/\(id)", action: .appointmentsRead
            )
        }
    }
}
