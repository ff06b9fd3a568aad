import ClinicBoxCore

/// The OpenAPI schemas of billing's requests and answers, named by its endpoints in `BillingRoutes.swift`.
extension BillingModule {
    package var schemas: [String: OpenAPISchema] {
        let service = ServiceForm.fields.schema
        return [
            "Service": .object(service.merging(["id": .id, "version": .version, "created_at": .timestamp, "updated_at": .timestamp]) { $1 }),
            "ServiceInput": .object(service, required: ServiceForm.fields.required),
            "ServiceUpdate": .object(service.merging(["version": .version]) { $1 }, required: ["version"]),
        ]
    }
}
