import ClinicBoxCore
import Patients
import Prescriptions
import Treatments

extension VisitsModule {
    package var auditRecords: [AuditRecordKind] {
        [
            AuditRecordKind(
                type: "visit",
                label: "Visits",
                verbs: [
                    "visits.start": "started {}", "visits.update": "changed the notes of {}", "visits.sign": "signed {}",
                    "visits.addendum": "added an addendum to {}",
                ],
                flagFields: ["entered_later"],
                userFields: ["practitioner_id"],
                // "visit V-000003 of Hans Müller (P-000001)".
                names: AuditRecordKind.names(
                    select: "v.number AS visit_number, p.number, p.first_name, p.last_name",
                    from: "visits v JOIN patients p ON p.id = v.patient_id",
                    idColumn: "v.id",
                    name: { row, _ in "visit \(row["visit_number"] as String) of \(AuditRecordKind.patientName(row))" },
                    path: { row in "/visits/\(row["audit_id"] as Int64)" }
                )
            )
        ]
    }
}
