import ClinicBoxCore

extension ClinicalModule {
    /// Allergies and problems, every entry, in the patient's own copy.
    package var patientExport: [PatientExportTable] {
        [
            PatientExportTable(
                key: "allergies",
                title: "Allergies",
                sql: "SELECT * FROM patient_allergies WHERE patient_id = :patient ORDER BY id",
                summary: [("substance", "Substance"), ("severity", "Severity"), ("reaction", "Reaction"), ("status", "Status")]
            ),
            PatientExportTable(
                key: "problems",
                title: "Problems",
                sql: "SELECT * FROM patient_problems WHERE patient_id = :patient ORDER BY id",
                summary: [("description", "Problem"), ("icd10_code", "ICD-10"), ("onset", "Since"), ("status", "Status")]
            ),
        ]
    }
}
