import ClinicBoxCore
import Hummingbird
import Inventory
import Patients

/// Where prescriptions answer: the API at `/api/v1/prescriptions`, the pages at `/prescriptions`. Each endpoint names its permission and its handler, which lives in `PrescriptionsAPI` or a `…Pages` type.
extension PrescriptionsModule {
    package var endpoints: [Endpoint<AuthenticatedContext>] {
        let api = PrescriptionsAPI()
        return [
            Endpoint(
                .get(
                    "",
                    "Prescriptions",
                    action: .prescriptionsRead,
                    query: APIOperation.paging(
                        PrescriptionsAPI.sorting,
                        [
                            "patient_id": (.id, "patient"), "visit_id": (.id, "the prescriptions written at this visit"),
                            "status": (.choice(PrescriptionsAPI.statuses), ""),
                        ]
                    ),
                    response: .json(.page(of: "Prescription"))
                ),
                use: api.list
            ),
            Endpoint(
                .post(
                    "",
                    "Write a prescription (checked against the patient's active allergies)",
                    action: .prescriptionsWrite,
                    request: .ref("PrescriptionInput"),
                    response: .json(.ref("Prescription"))
                ),
                use: api.create
            ),
            Endpoint(
                .get("{id}", "One prescription with its items and dispensings", action: .prescriptionsRead, response: .json(.ref("Prescription"))),
                use: api.show
            ),
            Endpoint(
                .patch(
                    "{id}",
                    "Edit notes, or cancel a pending prescription",
                    action: .prescriptionsWrite,
                    request: .ref("PrescriptionUpdate"),
                    response: .json(.ref("Prescription"))
                ),
                use: api.update
            ),
            Endpoint(
                .post(
                    "{id}/dispense",
                    "Dispense from stock, first expiry first (needs inventory; checked against the patient's allergies)",
                    action: .prescriptionsDispense,
                    request: .ref("Dispensing"),
                    response: .json(.ref("Prescription"))
                ),
                use: PrescriptionDispensing.dispense
            ),
        ]
    }

    package func pageEndpoints(_ pages: ModulePages) -> [Endpoint<PageRequestContext>] {
        let (prescriptions, printouts) = (PrescriptionsPages(pages: pages), PrescriptionPrintouts(pages: pages))
        return [
            .page(.get, "", "list", action: .prescriptionsRead, template: "list", use: prescriptions.list),
            .page(.get, "new", "new form", action: .prescriptionsWrite, template: "form", use: prescriptions.newForm),
            .page(.post, "", "create", action: .prescriptionsWrite, use: prescriptions.create),
            .page(.get, "{id}", "show", action: .prescriptionsRead, template: "show", use: prescriptions.show),
            .page(
                .get,
                "{id}/print",
                "printed prescription",
                action: .prescriptionsRead,
                template: "prescription-print",
                use: printouts.prescription
            ),
            .page(
                .get,
                "{id}/dispensings/{dispensing}/label",
                "dispensing label",
                action: .prescriptionsRead,
                template: "label-print",
                use: printouts.label
            ),
            .page(.get, "{id}/cancel", "confirm cancel", action: .prescriptionsWrite, template: "admin/confirm", use: prescriptions.confirmCancel),
            .page(.post, "{id}/cancel", "cancel", action: .prescriptionsWrite, use: prescriptions.cancel),
            .page(.post, "{id}/dispense", "dispense", action: .prescriptionsDispense, use: prescriptions.dispense),
            .page(.post, "{id}/notes", "save notes", action: .prescriptionsWrite, use: prescriptions.saveNotes),
        ]
    }
}
