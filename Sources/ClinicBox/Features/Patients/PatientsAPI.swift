extension PatientsModule {
    var schemas: [String: OpenAPISchema] {
        let editable = PatientForm.fields.schema
        return [
            "Patient": .object(editable.merging(["id": .id, "number": .text, "version": .version, "created_at": .timestamp, "updated_at": .timestamp]) { $1 }),
            "PatientInput": .object(editable.merging(["allow_duplicate": .boolean]) { $1 }, required: PatientForm.fields.required),
            "PatientUpdate": .object(editable.merging(["version": .version]) { $1 }, required: ["version"]),
        ]
    }

    var endpoints: [Endpoint<AuthenticatedContext>] {
        let routes = PatientRoutes()
        return [
            Endpoint(
                .get(
                    "", "List and search patients", action: .patientsRead,
                    query: APIOperation.paging(PatientRoutes.sorting, [
                        "q": (.text, "patient number, phone digits, or part of the name"), "active": (.boolean, "true or false"),
                        "date_of_birth": (.date, "exact date of birth"),
                    ]),
                    response: .json(.page(of: "Patient"))
                ), use: routes.list
            ),
            Endpoint(
                .post("", "Register a patient (409 on the same name and date of birth unless allow_duplicate)", action: .patientsWrite, request: .ref("PatientInput"), response: .json(.ref("Patient"))),
                use: routes.create
            ),
            Endpoint(.get("{id}", "One patient", action: .patientsRead, response: .json(.ref("Patient")))) { _, context in try await routes.show(context) },
            Endpoint(.patch("{id}", "Change a patient (only the fields sent)", action: .patientsWrite, request: .ref("PatientUpdate"), response: .json(.ref("Patient"))), use: routes.update),
        ]
    }
}
