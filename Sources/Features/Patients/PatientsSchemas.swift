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
                ["duplicate_id": .id, "reason": .string(maxLength: PatientMerge.reasonLimit)],
                required: ["duplicate_id", "reason"]
            ),
        ]
    }
}
