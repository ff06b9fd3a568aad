import ClinicBoxCore

extension PrescriptionsModule {
    /// Prescriptions, their medicines and every dispensing, in the patient's own copy.
    package var patientExport: [PatientExportTable] {
        [
            PatientExportTable(
                key: "prescriptions",
                title: "Prescriptions",
                sql: "SELECT * FROM prescriptions WHERE patient_id = :patient ORDER BY prescribed_on, id",
                summary: [("number", "Prescription"), ("prescribed_on", "Date"), ("prescriber_name", "Prescribed by"), ("status", "Status")]
            ),
            PatientExportTable(
                key: "prescription_items",
                title: "Medicines prescribed",
                sql: """
                    SELECT i.*, p.number AS prescription_number FROM prescription_items i JOIN prescriptions p ON p.id = i.prescription_id
                    WHERE p.patient_id = :patient ORDER BY p.prescribed_on, i.id
                    """,
                summary: [
                    ("prescription_number", "Prescription"), ("medicine", "Medicine"), ("strength", "Strength"), ("dose", "Dose"),
                    ("quantity", "Quantity"), ("repeats", "Repeats"),
                ]
            ),
            PatientExportTable(
                key: "dispensings",
                title: "Dispensed",
                sql: """
                    SELECT d.*, i.medicine, p.number AS prescription_number FROM prescription_dispensings d
                    JOIN prescription_items i ON i.id = d.prescription_item_id JOIN prescriptions p ON p.id = i.prescription_id
                    WHERE p.patient_id = :patient ORDER BY d.at, d.id
                    """,
                summary: [
                    ("at", "When"), ("prescription_number", "Prescription"), ("medicine", "Medicine"), ("quantity", "Quantity"),
                    ("batch_number", "Batch"),
                ]
            ),
        ]
    }
}
