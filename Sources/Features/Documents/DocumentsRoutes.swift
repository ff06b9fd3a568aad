import ClinicBoxCore
import Clinical
import Hummingbird
import Patients

/// Where documents answer: `/api/v1/documents/{id}` (a document by its own id), beside patients
/// `/api/v1/patients/{id}/documents`, and on pages the chart's documents (`/patients/{id}/documents/…`).
extension DocumentsModule {
    package var resourceEndpoints: [String: [Endpoint<AuthenticatedContext>]] { ["patients": patientEndpoints] }

    private var patientEndpoints: [Endpoint<AuthenticatedContext>] {
        let documents = DocumentsAPI()
        var upload = APIOperation.post(
            "{id}/documents",
            "File a scan or photo (PDF, JPEG, PNG or WebP, judged by its bytes) to the patient, optionally to one of their visits",
            action: .documentsWrite,
            request: .ref("DocumentUpload"),
            response: .json(.ref("PatientDocument"))
        )
        upload.requestType = "multipart/form-data"
        return [
            Endpoint(upload, use: documents.file),
            Endpoint(
                .get(
                    "{id}/documents",
                    "The patient's documents, newest first (clinical ones for clinical roles only)",
                    action: .patientsRead,
                    response: .json(.ref("PatientDocuments"))
                ),
                use: documents.list
            ),
        ]
    }

    /// `GET /api/v1/documents/{id}`: a document is fetched by its own id, wherever its link was found.
    package var endpoints: [Endpoint<AuthenticatedContext>] {
        let documents = DocumentsAPI()
        return [
            Endpoint(
                .get(
                    "{id}",
                    "Download a document (its bytes as an attachment; always audited; 410 once withdrawn)",
                    action: .patientsRead,
                    response: .file(DocumentType.allCases.map(\.mediaType))
                ),
                use: documents.download
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
                use: documents.withdraw
            ),
        ]
    }

    package func pageEndpoints(_ pages: ModulePages) -> [Endpoint<PageRequestContext>] {
        let documents = DocumentsPages(pages: pages)
        return [
            .page(.post, "{id}/documents", "file a document", action: .documentsWrite, use: documents.file),
            .page(.get, "{id}/documents/{document_id}", "open a document", action: .patientsRead, use: documents.open),
            .page(
                .post,
                "{id}/documents/{document_id}/withdraw",
                "withdraw a document filed in error",
                action: .documentsWrite,
                use: documents.withdraw
            ),
        ]
    }
}
