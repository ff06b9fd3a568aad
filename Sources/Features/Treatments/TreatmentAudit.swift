import ClinicBoxCore
import Patients

extension TreatmentsModule {
    package var auditRecords: [AuditRecordKind] {
        [
            AuditRecordKind(
                type: "treatment",
                label: "Treatments",
                verbs: ["treatments.create": "planned {}", "treatments.update": "changed {}", "treatments.delete": "removed {}"],
                verbForChanges: { action, changes in
                    action == "treatments.update" && changes.after("status") == "done" ? "marked as done {}" : nil
                },
                moneyFields: ["fee"],
                userFields: ["clinician_id"],
                // "Filling on tooth 16 for Hans Müller (P-000001)", linked to the patient's plan.
                names: AuditRecordKind.names(
                    select: "treatments.procedure, treatments.tooth, patients.number, patients.first_name, patients.last_name",
                    from: "treatments JOIN patients ON patients.id = treatments.patient_id",
                    idColumn: "treatments.id",
                    name: { row, _ in
                        let tooth = (row["tooth"] as Int64?).map { " on tooth \($0)" } ?? ""
                        return "\(row["procedure"] as String)\(tooth) for \(AuditRecordKind.patientName(row))"
                    },
                    path: { row in "/treatments?patient=\(row["number"] as String)" }
                )
            )
        ]
    }
}
