import ClinicBoxCore
import Clinical
import GRDB
import Patients
import Prescriptions
import Treatments

extension VisitsModule {
    /// Each visit: who saw the patient, the first diagnosis or the assessment, and whether it is signed.
    package var timelineSources: [TimelineSource] {
        [
            TimelineSource(
                kind: "visit",
                action: .clinicalRead,
                query: """
                    SELECT v.started_at, v.id, v.number, v.status, v.practitioner_name, v.assessment,
                        (SELECT description FROM visit_diagnoses WHERE visit_id = v.id ORDER BY id LIMIT 1), v.entered_later
                    FROM visits v WHERE v.patient_id = :patient AND \(ChartReader.inBranches("v.branch"))
                    """
            ) { row, _ in
                let (number, status, practitioner, assessment, diagnosis, later): (String, String, String, String?, String?, Bool) = (
                    row[0], row[1], row[2], row[3], row[4], row[5]
                )
                let about = diagnosis ?? assessment.map { String($0.prefix(120)) }
                return (
                    "Visit \(number)",
                    practitioner + (about.map { " · " + $0 } ?? "") + (status == "open" ? " · open" : " · signed")
                        + (later ? " · entered later" : ""),
                    "/visits/\(row.id)"
                )
            }
        ]
    }
}
