import ClinicBoxCore
import Hummingbird
import Patients

/// Where appointments answer: the API at `/api/v1/appointments`, the day list and booking pages at `/appointments`. Each endpoint names its permission and its handler, which lives in `AppointmentsAPI` or a `…Pages` type.
extension AppointmentsModule {
    package var endpoints: [Endpoint<AuthenticatedContext>] {
        let api = AppointmentsAPI()
        return [
            Endpoint(
                .get(
                    "",
                    "Appointments of a day, a week or a period",
                    action: .appointmentsRead,
                    query: APIOperation.paging(
                        AppointmentsAPI.sorting,
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
                use: api.list
            ),
            Endpoint(
                .post(
                    "",
                    "Book (409 when the practitioner is already booked)",
                    action: .appointmentsWrite,
                    request: .ref("AppointmentInput"),
                    response: .json(.ref("Appointment"))
                ),
                use: api.create
            ),
            Endpoint(.get("{id}", "One appointment", action: .appointmentsRead, response: .json(.ref("Appointment"))), use: api.show),
            Endpoint(
                .patch(
                    "{id}",
                    "Reschedule (while scheduled), move the status forward, or restore a cancellation back to scheduled on the day it was made",
                    action: .appointmentsWrite,
                    request: .ref("AppointmentUpdate"),
                    response: .json(.ref("Appointment"))
                ),
                use: api.update
            ),
        ]
    }

    package func pageEndpoints(_ pages: ModulePages) -> [Endpoint<PageRequestContext>] {
        let appointments = AppointmentsPages(pages: pages)
        return [
            .page(.get, "", "day", action: .appointmentsRead, template: "day", use: appointments.day),
            .page(.get, "new", "new form", action: .appointmentsWrite, template: "form", use: appointments.newForm),
            .page(.post, "", "create", action: .appointmentsWrite, use: appointments.create),
            .page(.post, "{id}/status", "change status", action: .appointmentsWrite, use: appointments.changeStatus),
            .page(.get, "{id}/cancel", "confirm cancel", action: .appointmentsWrite, template: "admin/confirm", use: appointments.confirmCancel),
            .page(.post, "{id}/cancel", "cancel", action: .appointmentsWrite, use: appointments.cancel),
            .page(.get, "{id}/no-show", "confirm no-show", action: .appointmentsWrite, template: "admin/confirm", use: appointments.confirmNoShow),
            .page(.get, "{id}", "show", action: .appointmentsRead, template: "show", use: appointments.show),
            .page(.get, "{id}/edit", "edit form", action: .appointmentsWrite, template: "form", use: appointments.editForm),
            .page(.post, "{id}", "reschedule", action: .appointmentsWrite, use: appointments.reschedule),
        ]
    }
}
