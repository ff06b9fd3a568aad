import ClinicBoxCore

/// The OpenAPI schemas of the patients module's requests and answers, named by its endpoints in `PatientsRoutes.swift`.
extension PatientsModule {
    package var schemas: [String: OpenAPISchema] {
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
