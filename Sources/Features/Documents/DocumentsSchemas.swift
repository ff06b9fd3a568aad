import ClinicBoxCore
import Clinical
import Patients

/// The OpenAPI schemas of documents, named by `DocumentsRoutes.swift`.
extension DocumentsModule {
    package var schemas: [String: OpenAPISchema] {
        [
            "DocumentUpload": .object(
                PatientDocuments.fields.schema.merging(["file": .string(format: "binary", description: "the file; its type is read from its bytes")])
                {
                    $1
                },
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
        ]
    }
}
