import ClinicBoxCore
import GRDB
import Patients

extension ClinicalModule {
    /// Allergy entries and problems, named with their patient in the audit trail (views of the chart are entries on
    /// the patient's record, worded by patients).
    package var auditRecords: [AuditRecordKind] {
        [
            AuditRecordKind(
                type: "allergy",
                label: "Allergies",
                verbs: ["patients.allergy_recorded": "recorded {}", "patients.allergy_changed": "changed {}"],
                names: AuditRecordKind.names(
                    select: "a.substance, a.patient_id, p.number, p.first_name, p.last_name",
                    from: "patient_allergies a JOIN patients p ON p.id = a.patient_id",
                    idColumn: "a.id",
                    name: { row, _ in "the allergy to \(row["substance"] as String) of \(AuditRecordKind.patientName(row))" },
                    path: { row in "/patients/\(row["patient_id"] as Int64)" }
                )
            ),
            AuditRecordKind(
                type: "problem",
                label: "Problems",
                verbs: ["patients.problem_recorded": "recorded {}", "patients.problem_changed": "changed {}"],
                names: AuditRecordKind.names(
                    select: "x.description, x.patient_id, p.number, p.first_name, p.last_name",
                    from: "patient_problems x JOIN patients p ON p.id = x.patient_id",
                    idColumn: "x.id",
                    name: { row, _ in "the problem “\(row["description"] as String)” of \(AuditRecordKind.patientName(row))" },
                    path: { row in "/patients/\(row["patient_id"] as Int64)" }
                )
            ),
        ]
    }
}
