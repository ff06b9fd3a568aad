extension PatientsModule {
    var auditRecords: [AuditRecordKind] {
        [
            AuditRecordKind(
                type: "patient", label: "Patients", verbs: ["patients.create": "registered {}", "patients.update": "changed the details of {}"],
                flagFields: ["active"],
                names: AuditRecordKind.names(
                    select: "number, first_name, last_name", from: "patients", idColumn: "id",
                    name: { row, _ in AuditRecordKind.patientName(row) }, path: { row in "/patients/\(row["audit_id"] as Int64)" }
                )
            )
        ]
    }
}
