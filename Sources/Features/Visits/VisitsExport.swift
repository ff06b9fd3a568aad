import ClinicBoxCore

extension VisitsModule {
    /// Visits with their notes, vitals, diagnoses and addenda, in the patient's own copy.
    package var patientExport: [PatientExportTable] {
        [
            PatientExportTable(
                key: "visits",
                title: "Visits",
                sql: "SELECT * FROM visits WHERE patient_id = :patient ORDER BY started_at, id",
                summary: [
                    ("number", "Visit"), ("visit_date", "Date"), ("practitioner_name", "Seen by"), ("subjective", "Subjective"),
                    ("objective", "Objective"), ("assessment", "Assessment"), ("plan", "Plan"), ("status", "Status"), ("signed_at", "Signed"),
                ]
            ),
            PatientExportTable(
                key: "visit_diagnoses",
                title: "Diagnoses",
                sql: """
                    SELECT d.*, v.number AS visit_number FROM visit_diagnoses d JOIN visits v ON v.id = d.visit_id
                    WHERE v.patient_id = :patient ORDER BY v.started_at, d.id
                    """,
                summary: [("visit_number", "Visit"), ("description", "Diagnosis"), ("icd10_code", "ICD-10")]
            ),
            PatientExportTable(
                key: "visit_addenda",
                title: "Addenda to signed visits",
                sql: """
                    SELECT a.*, v.number AS visit_number FROM visit_addenda a JOIN visits v ON v.id = a.visit_id
                    WHERE v.patient_id = :patient ORDER BY a.created_at, a.id
                    """,
                summary: [("visit_number", "Visit"), ("created_at", "Written"), ("author_name", "By"), ("text", "Addendum")]
            ),
        ]
    }
}
