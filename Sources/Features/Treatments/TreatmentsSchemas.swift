import ClinicBoxCore
import Patients

/// The OpenAPI schemas of the treatments module's requests and answers, named by its endpoints in `TreatmentsRoutes.swift`.
extension TreatmentsModule {
    package var schemas: [String: OpenAPISchema] {
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

}
