import ClinicBoxCore
import Inventory
import Patients

extension PrescriptionsModule {
    package var auditRecords: [AuditRecordKind] {
        [
            AuditRecordKind(
                type: "prescription",
                label: "Prescriptions",
                verbs: [
                    "prescriptions.create": "wrote prescription {}", "prescriptions.update": "changed prescription {}",
                    "prescriptions.dispense": "dispensed prescription {}",
                    "prescriptions.early_repeat": "dispensed a repeat of prescription {} early",
                    "patients.allergy_override": "went ahead with prescription {} despite an allergy warning",
                ],
                verbForChanges: { action, changes in
                    action == "prescriptions.update" && changes.after("status") == "cancelled" ? "cancelled prescription {}" : nil
                },
                userFields: ["prescriber_id"],
                names: AuditRecordKind.names(
                    select: "prescriptions.number AS prescription_number, patients.number, patients.first_name, patients.last_name",
                    from: "prescriptions JOIN patients ON patients.id = prescriptions.patient_id",
                    idColumn: "prescriptions.id",
                    name: { row, _ in "\(row["prescription_number"] as String) for \(AuditRecordKind.patientName(row))" },
                    path: { row in "/prescriptions/\(row["audit_id"] as Int64)" }
                )
            )
        ]
    }
}
