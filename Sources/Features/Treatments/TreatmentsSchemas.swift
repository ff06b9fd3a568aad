import ClinicBoxCore
import Patients

/// The OpenAPI schemas of the treatments module's requests and answers, named by its endpoints in `TreatmentsRoutes.swift`.
extension TreatmentsModule {
    package var schemas: [String: OpenAPISchema] {
        let fields = TreatmentRecords.fields.schema
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
