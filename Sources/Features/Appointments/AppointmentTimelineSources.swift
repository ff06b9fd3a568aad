import ClinicBoxCore
import GRDB
import Patients

extension AppointmentsModule {
    /// Each appointment: with whom, why, and its status.
    package var timelineSources: [TimelineSource] {
        [
            TimelineSource(
                kind: "appointment",
                action: .appointmentsRead,
                query: """
                    SELECT a.starts_at, a.id, a.local_start, a.status, a.reason, u.display_name
                    FROM appointments a JOIN users u ON u.id = a.practitioner_id WHERE a.patient_id = :patient AND \(ChartReader.inBranches("a.branch"))
                    """
            ) { row, time in
                let (localStart, status, reason, practitioner): (String, String, String?, String) = (row[0], row[1], row[2], row[3])
                return (
                    "Appointment \(time.moment(localStart))", "with \(practitioner)" + (reason.map { " · " + $0 } ?? "") + " · " + status.spacedWords,
                    "/appointments/\(row.id)"
                )
            }
        ]
    }
}
