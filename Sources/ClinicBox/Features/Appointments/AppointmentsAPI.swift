extension AppointmentsModule {
    var schemas: [String: OpenAPISchema] {
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

    var endpoints: [Endpoint<AuthenticatedContext>] {
        let routes = AppointmentRoutes()
        return [
            Endpoint(
                .get(
                    "",
                    "Appointments of a day, a week or a period",
                    action: .appointmentsRead,
                    query: APIOperation.paging(
                        AppointmentRoutes.sorting,
                        [
                            "date": (.date, "one local day"), "week": (.date, "the Monday–Sunday week holding this date"),
                            "from": (.date, "first day"),
                            "to": (.date, "last day"), "branch": (.text, "branch code"), "practitioner_id": (.id, "practitioner"),
                            "patient_id": (.id, "patient"),
                            "status": (.choice(AppointmentStatus.allCases.map(\.rawValue)), ""),
                        ]
                    ),
                    response: .json(.page(of: "Appointment"))
                ),
                use: routes.list
            ),
            Endpoint(
                .post(
                    "",
                    "Book (409 when the practitioner is already booked)",
                    action: .appointmentsWrite,
                    request: .ref("AppointmentInput"),
                    response: .json(.ref("Appointment"))
                ),
                use: routes.create
            ),
            Endpoint(.get("{id}", "One appointment", action: .appointmentsRead, response: .json(.ref("Appointment")))) { _, context in
                try await routes.show(context)
            },
            Endpoint(
                .patch(
                    "{id}",
                    "Reschedule (while scheduled), move the status forward, or restore a cancellation back to scheduled on the day it was made",
                    action: .appointmentsWrite,
                    request: .ref("AppointmentUpdate"),
                    response: .json(.ref("Appointment"))
                ),
                use: routes.update
            ),
        ]
    }
}
