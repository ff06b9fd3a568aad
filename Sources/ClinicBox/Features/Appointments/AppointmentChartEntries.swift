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
            ChartEntry(
                at: row["starts_at"], kind: "appointment", title: "Appointment \(time.moment(row["local_start"]))",
                detail: ["with \(row["display_name"] as String)", row["reason"], (row["status"] as String).replacingOccurrences(of: "_", with: " ")].compactMap { $0 }.joined(separator: " · "),
                path: "/appointments/\(row["id"] as Int64)", action: .appointmentsRead
            )
        }
    }
}
