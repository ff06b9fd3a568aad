import ClinicBoxCore
import Patients

/// The OpenAPI schemas of allergies, problems and the chart, named by `ClinicalRoutes.swift`.
extension ClinicalModule {
    package var schemas: [String: OpenAPISchema] {
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
