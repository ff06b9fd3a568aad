extension TreatmentsModule {
    var schemas: [String: OpenAPISchema] {
        let fields: [String: OpenAPISchema] = [
            "tooth": .integer(nullable: true, description: "FDI: 11–48, or 51–85 for primary teeth"), "procedure": .text, "status": .choice(["planned", "done"]),
            "fee": .money, "notes": .optionalText,
        ]
        return [
            "Treatment": .object(fields.merging([
                "id": .id, "patient_id": .id, "clinician_id": .optionalID, "done_on": .optionalDate, "version": .version, "created_at": .timestamp,
                "updated_at": .timestamp,
            ]) { $1 }),
            "TreatmentInput": .object(fields.merging(["patient_id": .id]) { $1 }, required: ["patient_id", "procedure", "fee"]),
            "TreatmentUpdate": .object(fields.merging(["version": .version]) { $1 }, required: ["version"]),
            "TreatmentPlan": .object(["patient_id": .id, "items": .array(.ref("Treatment")), "planned_total": .money, "done_total": .money, "total": .money]),
        ]
    }

    var api: [APIOperation] {
        [
            .get("/api/v1/treatments", "Treatments", action: "treatments.read", query: APIOperation.paging(sort: ["created"], ["patient_id": (.id, "patient"), "status": (.choice(["planned", "done"]), "")]), response: .json(.page(of: "Treatment"))),
            .post("/api/v1/treatments", "Add a treatment to a patient's plan", action: "treatments.write", request: .ref("TreatmentInput"), response: .json(.ref("Treatment"))),
            .get("/api/v1/treatments/plan", "A patient's plan with totals", action: "treatments.read", query: ["patient_id": (.id, "patient (required)")], response: .json(.ref("TreatmentPlan"))),
            .get("/api/v1/treatments/{id}", "One treatment", action: "treatments.read", response: .json(.ref("Treatment"))),
            .patch("/api/v1/treatments/{id}", "Change a planned treatment or mark it done", action: "treatments.write", request: .ref("TreatmentUpdate"), response: .json(.ref("Treatment"))),
            .delete("/api/v1/treatments/{id}", "Remove a planned treatment", action: "treatments.write"),
        ]
    }
}
