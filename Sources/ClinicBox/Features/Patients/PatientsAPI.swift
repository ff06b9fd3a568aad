extension PatientsModule {
    var schemas: [String: OpenAPISchema] {
        let editable = PatientForm.fields.schema
        return [
            "Patient": .object(
                editable.merging(["id": .id, "number": .text, "version": .version, "created_at": .timestamp, "updated_at": .timestamp]) { $1 }
            ),
            "PatientInput": .object(editable.merging(["confirm_new": .boolean]) { $1 }, required: PatientForm.fields.required),
            "PatientUpdate": .object(editable.merging(["version": .version]) { $1 }, required: ["version"]),
            "PatientMerge": .object(
                ["duplicate_id": .id, "reason": .string(maxLength: DocumentWithdrawal.reasonLimit)],
                required: ["duplicate_id", "reason"]
            ),
        ].merging(clinicalSchemas) { $1 }
    }

    var endpoints: [Endpoint<AuthenticatedContext>] {
        let routes = PatientRoutes()
        return [
            Endpoint(
                .get(
                    "",
                    "List and search patients",
                    action: .patientsRead,
                    query: APIOperation.paging(
                        PatientRoutes.sorting,
                        [
                            "q": (.text, "patient number, phone digits, or part of the name"), "active": (.boolean, "true or false"),
                            "date_of_birth": (.date, "exact date of birth"),
                        ]
                    ),
                    response: .json(.page(of: "Patient"))
                ),
                use: routes.list
            ),
            Endpoint(
                .post(
                    "",
                    "Register a patient (409 when they may already be registered, unless confirm_new)",
                    action: .patientsWrite,
                    request: .ref("PatientInput"),
                    response: .json(.ref("Patient"))
                ),
                use: routes.create
            ),
            Endpoint(.get("{id}", "One patient", action: .patientsRead, response: .json(.ref("Patient")))) { _, context in
                try await routes.show(context)
            },
            Endpoint(
                .patch(
                    "{id}",
                    "Change a patient (only the fields sent)",
                    action: .patientsWrite,
                    request: .ref("PatientUpdate"),
                    response: .json(.ref("Patient"))
                ),
                use: routes.update
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
                use: routes.merge
            ),
        ] + clinicalEndpoints + documentEndpoints
    }

    /// `GET /api/v1/documents/{id}`: a document is fetched by its own id, wherever its link was found.
    var resourceEndpoints: [String: [Endpoint<AuthenticatedContext>]] {
        let routes = DocumentRoutes()
        return [
            "documents": [
                Endpoint(
                    .get(
                        "{id}",
                        "Download a document (its bytes as an attachment; always audited; 410 once withdrawn)",
                        action: .patientsRead,
                        response: .file(DocumentType.allCases.map(\.mediaType))
                    ),
                    use: routes.download
                ),
                Endpoint(
                    .post(
                        "{id}/withdraw",
                        "Withdraw a document filed in error, with the reason: kept, but no longer listed, on the chart or opened",
                        action: .documentsWrite,
                        request: .ref("DocumentWithdrawal"),
                        status: 200,
                        response: .json(.ref("PatientDocument"))
                    ),
                    use: routes.withdraw
                ),
            ]
        ]
    }

    private var documentEndpoints: [Endpoint<AuthenticatedContext>] {
        let routes = DocumentRoutes()
        var upload = APIOperation.post(
            "{id}/documents",
            "File a scan or photo (PDF, JPEG, PNG or WebP, judged by its bytes) to the patient, optionally to one of their visits",
            action: .documentsWrite,
            request: .ref("DocumentUpload"),
            response: .json(.ref("PatientDocument"))
        )
        upload.requestType = "multipart/form-data"
        return [
            Endpoint(upload, use: routes.file),
            Endpoint(
                .get(
                    "{id}/documents",
                    "The patient's documents, newest first (clinical ones for clinical roles only)",
                    action: .patientsRead,
                    response: .json(.ref("PatientDocuments"))
                ),
                use: routes.list
            ),
        ]
    }

    /// Allergies (safety information, seen by everyone who sees the patient) and problems (clinical content).
    private var clinicalEndpoints: [Endpoint<AuthenticatedContext>] {
        let routes = ClinicalRoutes()
        return [
            Endpoint(
                .get(
                    "{id}/allergies",
                    "The patient's allergy state and every allergy entry, active ones first",
                    action: .patientsRead,
                    response: .json(.ref("Allergies"))
                )
            ) { _, context in
                try await routes.allergies(context)
            },
            Endpoint(
                .post(
                    "{id}/allergies",
                    "Record an allergy (replaces a recorded \"no known allergies\")",
                    action: .allergiesWrite,
                    request: .ref("AllergyInput"),
                    response: .json(.ref("Allergy"))
                ),
                use: routes.recordAllergy
            ),
            Endpoint(
                .put(
                    "{id}/allergies/none",
                    "Record \"no known allergies\" (409 while an allergy is active)",
                    action: .allergiesWrite,
                    response: .json(.ref("Allergies"))
                )
            ) { _, context in
                try await routes.recordNoKnownAllergies(context)
            },
            Endpoint(
                .patch(
                    "{id}/allergies/{allergy_id}",
                    "Change an allergy entry: severity, reaction, or status inactive / entered_in_error",
                    action: .allergiesWrite,
                    request: .ref("AllergyUpdate"),
                    response: .json(.ref("Allergy"))
                ),
                use: routes.changeAllergy
            ),
            Endpoint(
                .get(
                    "{id}/chart",
                    "The patient's chart: allergies, active problems (clinical roles) and the timeline of every module, newest first (audited)",
                    action: .patientsRead,
                    query: [
                        "limit": (
                            .integer(minimum: 1, maximum: Int64(PatientTimeline.longest)),
                            "timeline entries, newest first; default \(PatientTimeline.shown)"
                        )
                    ],
                    response: .json(.ref("Chart"))
                ),
                use: routes.chart
            ),
            Endpoint(
                .get(
                    "{id}/problems",
                    "The patient's problem list, active ones first (audited as a chart view)",
                    action: .clinicalRead,
                    response: .json(.ref("PatientProblems"))
                )
            ) { _, context in
                try await routes.problems(context)
            },
            Endpoint(
                .post(
                    "{id}/problems",
                    "Record a problem (condition), optionally with its ICD-10 code",
                    action: .clinicalWrite,
                    request: .ref("PatientProblemInput"),
                    response: .json(.ref("PatientProblem"))
                ),
                use: routes.recordProblem
            ),
            Endpoint(
                .patch(
                    "{id}/problems/{problem_id}",
                    "Change a problem, e.g. mark it resolved",
                    action: .clinicalWrite,
                    request: .ref("PatientProblemUpdate"),
                    response: .json(.ref("PatientProblem"))
                ),
                use: routes.changeProblem
            ),
        ]
    }

    private var clinicalSchemas: [String: OpenAPISchema] {
        let written: [String: OpenAPISchema] = [
            "id": .id, "patient_id": .id, "recorded_by": .text, "recorded_at": .timestamp, "version": .version, "updated_at": .timestamp,
        ]
        let allergy = PatientAllergies.fields.schema
        let problem = PatientProblems.fields.schema
        return [
            "Allergy": .object(allergy.merging(written) { $1 }),
            "AllergyInput": .object(allergy, required: ["substance"]),
            "AllergyUpdate": .object(allergy.merging(["version": .version]) { $1 }, required: ["version"]),
            "Allergies": .object([
                "patient_id": .id, "state": .choice(["not_recorded", "no_known_allergies", "recorded"]),
                "no_known_allergies_by": .optionalText, "no_known_allergies_at": .string(format: "date-time", nullable: true),
                "items": .array(.ref("Allergy")),
            ]),
            "PatientProblem": .object(problem.merging(written) { $1 }),
            "PatientProblemInput": .object(problem, required: ["description"]),
            "PatientProblemUpdate": .object(problem.merging(["version": .version]) { $1 }, required: ["version"]),
            "PatientProblems": .object(["items": .array(.ref("PatientProblem"))]),
            "DocumentUpload": .object(
                [
                    "file": .string(format: "binary", description: "the file; its type is read from its bytes"),
                    "title": .string(nullable: true, description: "what it is (default: the file's name)", maxLength: 200),
                    "visit_id": .optionalID, "clinical": .boolean,
                ],
                required: ["file"]
            ),
            "PatientDocument": .object([
                "id": .id, "patient_id": .id, "visit_id": .optionalID, "title": .text, "media_type": .choice(DocumentType.allCases.map(\.mediaType)),
                "byte_count": .integer(minimum: 1), "sha256": .text, "file_name": .optionalText, "clinical": .boolean, "uploaded_by": .text,
                "uploaded_at": .timestamp, "download": .string(description: "its download, below the tenant's base"),
                "withdrawn_reason": .string(nullable: true, description: "why it was withdrawn as filed in error; null while it stands"),
                "withdrawn_by": .optionalText, "withdrawn_at": .string(format: "date-time", nullable: true),
            ]),
            "DocumentWithdrawal": .object(["reason": .string(description: "why it was filed in error")], required: ["reason"]),
            "PatientDocuments": .object(["items": .array(.ref("PatientDocument"))]),
            "Chart": .object(
                [
                    "patient": .ref("Patient"), "allergies": .ref("Allergies"), "problems": .ref("PatientProblems"),
                    "timeline": .array(
                        .object([
                            "at": .timestamp, "kind": .text, "title": .text, "detail": .text,
                            "path": .string(description: "the entry's page, below the tenant's base"),
                        ])
                    ),
                    "timeline_has_more": .boolean,
                ],
                required: ["patient", "allergies", "timeline", "timeline_has_more"]
            ),
        ]
    }
}
