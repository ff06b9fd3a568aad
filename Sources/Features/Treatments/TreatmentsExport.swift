import ClinicBoxCore

extension TreatmentsModule {
    /// The dental plan and what was done, in the patient's own copy.
    package var patientExport: [PatientExportTable] {
        [
            PatientExportTable(
                key: "treatments",
                title: "Dental treatments",
                sql: "SELECT * FROM treatments WHERE patient_id = :patient ORDER BY id",
                summary: [("tooth", "Tooth"), ("procedure", "Procedure"), ("status", "Status"), ("done_on", "Done on"), ("notes", "Notes")]
            )
        ]
    }
}
