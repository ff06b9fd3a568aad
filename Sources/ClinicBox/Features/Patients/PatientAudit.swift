extension PatientsModule {
    var auditRecords: [AuditRecordKind] {
        [
            AuditRecordKind(
                type: "patient", label: "Patients", verbs: [
                    "patients.create": "registered {}", "patients.update": "changed the details of {}",
                    "patients.registered_despite_duplicates": "registered {} although they may already have been registered",
                    "patients.merged_into": "merged {} into another record", "patients.merged_from": "merged a duplicate record into {}",
                ],
                flagFields: ["active"],
                names: AuditRecordKind.names(
                    select: "number, first_name, last_name", from: "patients", idColumn: "id",
                    name: { row, _ in AuditRecordKind.patientName(row) }, path: { row in "/patients/\(row["audit_id"] as Int64)" }
                )
            )
        ]
    }
}
