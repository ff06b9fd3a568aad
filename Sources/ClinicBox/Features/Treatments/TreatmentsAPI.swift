extension TreatmentsModule {
    var schemas: [String: OpenAPISchema] {
        let fields: [String: OpenAPISchema] = [
            "tooth": .integer(nullable: true, description: "FDI: 11–48, or 51–85 for primary teeth"),
            "surfaces": .string(
                nullable: true,
                description: "the tooth's surfaces it covers: \(ToothSurfaces.rule); stored as M, O, D, B, L in that order",
                maxLength: 20
            ),
            "procedure_code": .string(
                nullable: true,
                description: "a code of the tenant file's procedures: fills procedure and fee when they are not given",
                maxLength: 20
            ),
            "procedure": .text, "status": .choice(["planned", "done"]), "fee": .money, "notes": .optionalText,
        ]
        return [
            "Treatment": .object(
                fields.merging([
                    "id": .id, "patient_id": .id, "clinician_id": .optionalID, "done_on": .optionalDate, "version": .version,
                    "created_at": .timestamp,
                    "updated_at": .timestamp,
                ]) { $1 }
            ),
            "TreatmentInput": .object(fields.merging(["patient_id": .id]) { $1 }, required: ["patient_id"]),
            "TreatmentUpdate": .object(fields.merging(["version": .version]) { $1 }, required: ["version"]),
            "TreatmentPlan": .object([
                "patient_id": .id, "items": .array(.ref("Treatment")), "planned_total": .money, "done_total": .money, "total": .money,
            ]),
        ]
    }

    var endpoints: [Endpoint<AuthenticatedContext>] {
        let routes = TreatmentRoutes()
        return [
            Endpoint(
                .get(
                    "",
                    "Treatments",
                    action: .treatmentsRead,
                    query: APIOperation.paging(
                        TreatmentRoutes.sorting,
                        ["patient_id": (.id, "patient"), "status": (.choice(["planned", "done"]), "")]
                    ),
                    response: .json(.page(of: "Treatment"))
                ),
                use: routes.list
            ),
            Endpoint(
                .post(
                    "",
                    "Add a treatment to a patient's plan",
                    action: .treatmentsWrite,
                    request: .ref("TreatmentInput"),
                    response: .json(.ref("Treatment"))
                ),
                use: routes.create
            ),
            Endpoint(
                .get(
                    "plan",
                    "A patient's plan with totals",
                    action: .treatmentsRead,
                    query: ["patient_id": (.id, "patient (required)")],
                    response: .json(.ref("TreatmentPlan"))
                ),
                use: routes.plan
            ),
            Endpoint(.get("{id}", "One treatment", action: .treatmentsRead, response: .json(.ref("Treatment")))) { _, context in
                try await routes.show(context)
            },
            Endpoint(
                .patch(
                    "{id}",
                    "Change a planned treatment or mark it done",
                    action: .treatmentsWrite,
                    request: .ref("TreatmentUpdate"),
                    response: .json(.ref("Treatment"))
                ),
                use: routes.update
            ),
            Endpoint(.delete("{id}", "Remove a planned treatment", action: .treatmentsWrite)) { _, context in try await routes.remove(context) },
        ]
    }
}
