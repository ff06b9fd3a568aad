import ClinicBoxCore
import GRDB
import Patients

extension TreatmentsModule {
    /// Each treatment on the plan: the procedure, tooth and surfaces, planned or done.
    package var timelineSources: [TimelineSource] {
        [
            TimelineSource(
                kind: "treatment",
                action: .treatmentsRead,
                query: """
                    SELECT t.created_at, t.id, t.procedure, t.tooth, t.surfaces, t.done_on, p.number
                    FROM treatments t JOIN patients p ON p.id = t.patient_id WHERE t.patient_id = :patient
                    """
            ) { row, _ in
                let (procedure, tooth, surfaces, doneOn, number): (String, Int64?, String?, String?, String) = (
                    row[0], row[1], row[2], row[3], row[4]
                )
                let done = doneOn.flatMap(CalendarDate.init).map { "done \(ReadableTime.day($0))" }
                return (
                    "\(procedure)\(tooth.map { " on tooth \($0)" } ?? "")\(surfaces.map { " (\($0))" } ?? "")", done ?? "planned",
                    "/treatments?patient=\(number)"
                )
            }
        ]
    }
}
