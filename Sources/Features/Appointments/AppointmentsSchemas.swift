import ClinicBoxCore
import Patients

/// The OpenAPI schemas of the appointments module's requests and answers, named by its endpoints in `AppointmentsRoutes.swift`.
extension AppointmentsModule {
    package var schemas: [String: OpenAPISchema] {
        let written = AppointmentForm.fields.schema
        let booking = written.filter { AppointmentForm.bookingFields.contains($0.key) }
        return [
            "Appointment": .object(
                written.merging([
                    "id": .id, "start": .string(description: "local time in the tenant's time zone, YYYY-MM-DDTHH:MM"), "starts_at": .timestamp,
                    "ends_at": .timestamp, "cancelled_at": .string(format: "date-time", nullable: true), "patient_name": .text,
                    "patient_number": .text, "practitioner_name": .text, "version": .version, "created_at": .timestamp, "updated_at": .timestamp,
                ]) { $1 }
            ),
            // A booking is always scheduled; later changes move the status.
            "AppointmentInput": .object(
                booking.merging(["status": .choice(["scheduled"])]) { $1 },
                required: ["patient_id", "practitioner_id", "branch", "start"]
            ),
            "AppointmentUpdate": .object(written.merging(["version": .version]) { $1 }, required: ["version"]),
        ]
    }

}
