import ClinicBoxCore
import Documents
import Hummingbird
import Patients
import Prescriptions
import Treatments

/// Filing a scan or photo from a visit's page: it is filed to the visit's patient and to the visit (clinical, as
/// the visit is), and the page comes back to the visit, listing it; a refused file comes back there too, with the
/// message beside the file and the title as typed. A signed visit takes documents as well: filing changes no note.
extension VisitsPages {
    package struct RefusedDocument {
        package var message: String
        package var title: String
        package var status: HTTPResponse.Status
    }

    package func fileDocument(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let id = try context.recordID(entity: "visit")
        try await context.require(.documentsWrite)  // the route needs clinical.write; filing needs this as well
        let branches = context.user.branchFilter
        let database = try await context.storage.database()
        let patient = try await database.read { db -> Int64 in
            try VisitRecords.changes.requireVisible(db, id: id, branches: branches)
            return try VisitRecords.changes.current(db, id: id)["patient_id"]
        }
        var upload: FileUpload
        do {
            upload = try await PatientDocuments.upload(request, context.tenant)
        } catch let problem as Problem where problem.status == .contentTooLarge {
            // The body was not read, so its CSRF token is unknown: the visit is shown with the message, nothing changed.
            return try await showPage(request, context, refusedDocument: .init(message: problem.detail, title: "", status: problem.status))
        }
        try context.verifyForm(request, token: upload.values["csrf_token"])
        upload.values["visit_id"] = String(id)
        upload.values["clinical"] = "true"
        let title = upload.values["title"] ?? ""
        do {
            try await PatientDocuments.file(
                upload,
                patient: patient,
                clinicalByDefault: true,
                mayFileClinical: true,
                database: database,
                context: context
            )
        } catch let problem as Problem where [.badRequest, .unprocessableContent, .unsupportedMediaType].contains(problem.status) {
            let message =
                problem.fieldErrors.sorted { $0.key < $1.key }.first.map { "The \($0.key.replacingOccurrences(of: "_", with: " ")) \($0.value)." }
                ?? problem.detail
            return try await showPage(
                request,
                context,
                refusedDocument: .init(
                    message: problem.status == .unsupportedMediaType ? problem.detail : message,
                    title: title,
                    status: problem.status
                )
            )
        }
        return Pages.seeOther("\(context.basePath)/visits/\(id)?saved=1#documents-title")
    }
}
