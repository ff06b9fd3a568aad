import ClinicBoxCore
import GRDB
import Patients

extension AppointmentsModule {
    /// The module's reports, offered by the reports module where this one is on.
    package var reports: [Report] {
        [
            Report(
                id: "appointments-per-day",
                summary: "appointments per day by status, and the no-show rate",
                columns: ["date", "booked", "completed", "cancelled", "no_show", "no_show_rate"],
                summedColumns: ["booked", "completed", "cancelled", "no_show"],
                sql: { branches in
                    """
                    SELECT local_date, count(*), sum(status = 'completed'), sum(status = 'cancelled'), sum(status = 'no_show'),
                        round(coalesce(1.0 * sum(status = 'no_show') / nullif(sum(status IN ('completed', 'no_show', 'checked_in')), 0), 0), 3)
                    FROM appointments WHERE local_date BETWEEN ? AND ? AND branch IN (\(branches)) GROUP BY local_date ORDER BY local_date
                    """
                },
                arguments: { StatementArguments([$0.from.description, $0.to.description]) + StatementArguments($0.branches) }
            )
        ]
    }
}
