import ClinicBoxCore
import Patients
import Prescriptions
import Treatments

/// The OpenAPI schemas of the visits module's requests and answers, named by its endpoints in `VisitsRoutes.swift`.
extension VisitsModule {
    package var schemas: [String: OpenAPISchema] {
        var content = VisitContent.fields.schema
        let diagnosis = OpenAPISchema.object(["description": .text, "icd10_code": .optionalText], required: ["description"])
        content["diagnoses"] = .array(diagnosis)
        return [
            "Visit": .object(
                content.merging([
                    "id": .id, "number": .text, "patient_id": .id, "branch": .text, "practitioner_id": .id, "practitioner_name": .text,
                    "appointment_id": .optionalID, "visit_date": .date, "started_at": .timestamp, "status": .choice(VisitsAPI.statuses),
                    "entered_later": .boolean,
                    "bmi": .number(nullable: true, description: "body mass index from weight and height"),
                    "signed_at": .string(format: "date-time", nullable: true),
                    "signed_by_name": .optionalText, "version": .version, "created_at": .timestamp, "updated_at": .timestamp,
                    "addenda": .array(.object(["text": .text, "author": .text, "at": .timestamp])),
                ]) { $1 }
            ),
            "VisitInput": .object(content.merging(["patient_id": .id, "branch": .text, "appointment_id": .id, "visit_date": .date]) { $1 }),
            "VisitUpdate": .object(content.merging(["version": .version]) { $1 }, required: ["version"]),
            "VisitSigning": .object(["version": .version]),
            "Addendum": .object(["text": .string(maxLength: VisitContent.noteLimit)], required: ["text"]),
        ]
    }
}
