import ClinicBoxCore
import Clinical
import Documents
import Hummingbird
import Patients
import Prescriptions
import Treatments

/// Where visits answer: the API at `/api/v1/visits`, the pages at `/visits`. Each endpoint names its permission and
/// its handler, which lives in `VisitsAPI` or `VisitsPages`.
extension VisitsModule {
    package var endpoints: [Endpoint<AuthenticatedContext>] {
        let api = VisitsAPI()
        return [
            Endpoint(
                .get(
                    "",
                    "Visits, newest first (audited as chart views when opened one by one)",
                    action: .clinicalRead,
                    query: APIOperation.paging(
                        VisitsAPI.sorting,
                        [
                            "patient_id": (.id, "patient"), "practitioner_id": (.id, "practitioner"), "branch": (.text, "branch code"),
                            "date": (.date, "the visit's day"), "status": (.choice(VisitsAPI.statuses), ""),
                        ]
                    ),
                    response: .json(.page(of: "Visit"))
                ),
                use: api.list
            ),
            Endpoint(
                .post(
                    "",
                    "Start a visit (from a checked-in appointment with appointment_id)",
                    action: .clinicalWrite,
                    request: .ref("VisitInput"),
                    response: .json(.ref("Visit"))
                ),
                use: api.create
            ),
            Endpoint(
                .get(
                    "{id}",
                    "One visit with its diagnoses and addenda (audited as a chart view)",
                    action: .clinicalRead,
                    response: .json(.ref("Visit"))
                ),
                use: api.show
            ),
            Endpoint(
                .patch(
                    "{id}",
                    "Change an open visit (its practitioner only; a signed one is a 409)",
                    action: .clinicalWrite,
                    request: .ref("VisitUpdate"),
                    response: .json(.ref("Visit"))
                ),
                use: api.update
            ),
            Endpoint(
                .post(
                    "{id}/sign",
                    "Sign an open visit: it never changes again",
                    action: .visitsSign,
                    request: .ref("VisitSigning"),
                    status: 200,
                    response: .json(.ref("Visit")),
                    idempotent: false
                ),
                use: api.sign
            ),
            Endpoint(
                .post(
                    "{id}/addenda",
                    "Append an addendum to a signed visit",
                    action: .clinicalWrite,
                    request: .ref("Addendum"),
                    response: .json(.ref("Visit"))
                ),
                use: api.addAddendum
            ),
        ]
    }

    package func pageEndpoints(_ pages: ModulePages) -> [Endpoint<PageRequestContext>] {
        let visits = VisitsPages(pages: pages)
        return [
            .page(.get, "", "waiting and today's visits", action: .clinicalRead, template: "list", use: visits.list),
            .page(.get, "new", "start form", action: .clinicalWrite, template: "form", use: visits.newForm),
            .page(.post, "", "start", action: .clinicalWrite, use: visits.create),
            .page(.get, "{id}", "show", action: .clinicalRead, template: "show", use: visits.show),
            .page(.get, "{id}/print", "visit summary for the patient", action: .clinicalRead, template: "summary-print", use: visits.summary),
            .page(.get, "{id}/edit", "edit form", action: .clinicalWrite, template: "form", use: visits.editForm),
            .page(.post, "{id}", "update", action: .clinicalWrite, use: visits.update),
            .page(.get, "{id}/sign", "confirm signing", action: .visitsSign, template: "admin/confirm", use: visits.confirmSign),
            .page(.post, "{id}/sign", "sign", action: .visitsSign, use: visits.sign),
            .page(.post, "{id}/addenda", "add an addendum", action: .clinicalWrite, use: visits.addAddendum),
            .page(.post, "{id}/documents", "file a document to a visit", action: .clinicalWrite, use: visits.fileDocument),
        ]
    }
}
