import ClinicBoxCore

extension AppointmentsModule {
    /// Appointments, kept and not, in the patient's own copy.
    package var patientExport: [PatientExportTable] {
        [
            PatientExportTable(
                key: "appointments",
                title: "Appointments",
                sql: "SELECT * FROM appointments WHERE patient_id = :patient ORDER BY starts_at, id",
                summary: [("local_start", "When"), ("branch", "Branch"), ("reason", "Reason"), ("status", "Status")]
            )
        ]
    }
}
