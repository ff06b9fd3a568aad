import ClinicBoxCore
import Hummingbird
import Patients

/// Where dental treatments answer: the API at `/api/v1/treatments`, the plan pages at `/treatments`. Each endpoint names its permission and its handler, which lives in `TreatmentsAPI` or a `…Pages` type.
extension TreatmentsModule {
    package var endpoints: [Endpoint<AuthenticatedContext>] {
        let api = TreatmentsAPI()
        return [
            Endpoint(
                .get(
                    "",
                    "Treatments",
                    action: .treatmentsRead,
                    query: APIOperation.paging(
                        TreatmentsAPI.sorting,
                        ["patient_id": (.id, "patient"), "status": (.choice(["planned", "done"]), "")]
                    ),
                    response: .json(.page(of: "Treatment"))
                ),
                use: api.list
            ),
            Endpoint(
                .post(
                    "",
                    "Add a treatment to a patient's plan",
                    action: .treatmentsWrite,
                    request: .ref("TreatmentInput"),
                    response: .json(.ref("Treatment"))
                ),
                use: api.create
            ),
            Endpoint(
                .get(
                    "plan",
                    "A patient's plan with totals",
                    action: .treatmentsRead,
                    query: ["patient_id": (.id, "patient (required)")],
                    response: .json(.ref("TreatmentPlan"))
                ),
                use: api.plan
            ),
            Endpoint(.get("{id}", "One treatment", action: .treatmentsRead, response: .json(.ref("Treatment"))), use: api.show),
            Endpoint(
                .patch(
                    "{id}",
                    "Change a planned treatment or mark it done",
                    action: .treatmentsWrite,
                    request: .ref("TreatmentUpdate"),
                    response: .json(.ref("Treatment"))
                ),
                use: api.update
            ),
            Endpoint(.delete("{id}", "Remove a planned treatment", action: .treatmentsWrite), use: api.remove),
        ]
    }

    package func pageEndpoints(_ pages: ModulePages) -> [Endpoint<PageRequestContext>] {
        let treatments = TreatmentsPages(pages: pages)
        return [
            .page(.get, "", "plan", action: .treatmentsRead, template: "plan", use: treatments.plan),
            .page(.post, "", "add", action: .treatmentsWrite, use: treatments.add),
            .page(.get, "{id}/done", "confirm done", action: .treatmentsWrite, template: "admin/confirm", use: treatments.confirmDone),
            .page(.post, "{id}/done", "mark done", action: .treatmentsWrite, use: treatments.markDone),
            .page(.get, "{id}/remove", "confirm remove", action: .treatmentsWrite, template: "admin/confirm", use: treatments.confirmRemove),
            .page(.post, "{id}/remove", "remove", action: .treatmentsWrite, use: treatments.remove),
            .page(.get, "{id}/edit", "edit form", action: .treatmentsWrite, template: "edit", use: treatments.editForm),
            .page(.post, "{id}", "update", action: .treatmentsWrite, use: treatments.update),
        ]
    }
}
