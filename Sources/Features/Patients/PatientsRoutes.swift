import ClinicBoxCore
import Hummingbird

/// Where the patients module answers: its API at `/api/v1/patients`, its pages at `/patients` (beside those of its
/// parts, clinical and documents). Each endpoint names its permission and handler; the handlers live in the `…API` and `…Pages` types.
extension PatientsModule {
    package var endpoints: [Endpoint<AuthenticatedContext>] {
        let api = PatientsAPI()
        return [
            Endpoint(
                .get(
                    "",
                    "List and search patients",
                    action: .patientsRead,
                    query: APIOperation.paging(
                        PatientsAPI.sorting,
                        [
                            "q": (.text, "patient number, phone digits, or part of the name"), "active": (.boolean, "true or false"),
                            "date_of_birth": (.date, "exact date of birth"),
                        ]
                    ),
                    response: .json(.page(of: "Patient"))
                ),
                use: api.list
            ),
            Endpoint(
                .post(
                    "",
                    "Register a patient (409 when they may already be registered, unless confirm_new)",
                    action: .patientsWrite,
                    request: .ref("PatientInput"),
                    response: .json(.ref("Patient"))
                ),
                use: api.create
            ),
            Endpoint(.get("{id}", "One patient", action: .patientsRead, response: .json(.ref("Patient"))), use: api.show),
            Endpoint(
                .patch(
                    "{id}",
                    "Change a patient (only the fields sent)",
                    action: .patientsWrite,
                    request: .ref("PatientUpdate"),
                    response: .json(.ref("Patient"))
                ),
                use: api.update
            ),
            Endpoint(
                .post(
                    "{id}/merge",
                    "Merge a duplicate record into this patient: every record moves here, the duplicate stays as a pointer",
                    action: .patientsMerge,
                    request: .ref("PatientMerge"),
                    status: 200,
                    response: .json(.ref("Patient")),
                    idempotent: false
                ),
                use: api.merge
            ),
        ]
    }

    package func pageEndpoints(_ pages: ModulePages) -> [Endpoint<PageRequestContext>] {
        let (patients, merging) = (PatientsPages(pages: pages), PatientMergePages(pages: pages))
        return [
            .page(.get, "", "list", action: .patientsRead, template: "list", use: patients.list),
            .page(.get, "new", "new form", action: .patientsWrite, template: "form", use: patients.newForm),
            .page(.post, "", "create", action: .patientsWrite, use: patients.create),
            .page(.get, "{id}/edit", "edit form", action: .patientsWrite, template: "form", use: patients.editForm),
            .page(.post, "{id}", "update", action: .patientsWrite, use: patients.update),
            .page(.post, "{id}/merge", "merge a duplicate record into this one", action: .patientsMerge, use: merging.merge),
        ]
    }
}
