import ClinicBoxCore

extension PatientsModule {
    /// The patient's details come first in their own copy (`PatientExport` reads the name and number from them).
    package var patientExport: [PatientExportTable] {
        [
            PatientExportTable(
                key: "patient",
                title: "Details",
                sql: "SELECT * FROM patients WHERE id = :patient",
                summary: [
                    ("number", "Number"), ("first_name", "First name"), ("last_name", "Last name"), ("date_of_birth", "Born"), ("sex", "Sex"),
                    ("phone", "Phone"), ("email", "Email"), ("address", "Address"), ("no_known_allergies_at", "No known allergies since"),
                ]
            )
        ]
    }
}
