import ClinicBoxCore
import Patients

/// The OpenAPI schemas of the appointments module's requests and answers, named by its endpoints in `AppointmentsRoutes.swift`.
extension AppointmentsModule {
    package var schemas: [String: OpenAPISchema] {
        let statuses = AppointmentStatus.allCases.map(\.rawValue)
        return [
            "Appointment": .object([
                "id": .id, "patient_id": .id, "practitioner_id": .id, "branch": .text,
                "start": .string(description: "local time in the tenant's time zone, YYYY-MM-DDTHH:MM"), "starts_at": .timestamp,
                "ends_at": .timestamp,
                "duration_minutes": .integer(), "reason": .optionalText, "status": .choice(statuses),
                "cancel_reason": .optionalText, "cancelled_at": .string(format: "date-time", nullable: true), "patient_name": .text,
                "patient_number": .text,
                "practitioner_name": .text, "version": .version, "created_at": .timestamp, "updated_at": .timestamp,
            ]),
            "AppointmentInput": .object(
                [
                    "patient_id": .id, "practitioner_id": .id, "branch": .text,
                    "start": .string(description: "YYYY-MM-DDTHH:MM local, or ISO 8601 with offset"),
                    "duration_minutes": .integer(description: "5–480, default 15"), "reason": .optionalText, "status": .choice(["scheduled"]),
                ],
                required: ["patient_id", "practitioner_id", "branch", "start"]
            ),
            "AppointmentUpdate": .object(
                [
                    "version": .version, "patient_id": .id, "practitioner_id": .id, "branch": .text, "start": .text, "duration_minutes": .integer(),
                    "reason": .optionalText, "status": .choice(statuses),
                    "cancel_reason": .string(nullable: true, description: "why, with status cancelled (shown in the history)", maxLength: 500),
                ],
                required: ["version"]
            ),
        ]
    }

}
