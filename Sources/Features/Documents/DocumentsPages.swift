import ClinicBoxCore
import Clinical
import Foundation
import Hummingbird
import Patients

/// Filing a document from the chart (a plain `multipart/form-data` form, no script) and opening one: a download,
/// or an image shown on the chart. A refused upload comes back on the chart with the message beside the file.
package struct DocumentsPages {
    package let pages: ModulePages

    package func file(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let patient = try context.recordID(entity: "patient")
        var upload: FileUpload
        do {
            upload = try await PatientDocuments.upload(request, context.tenant)
        } catch let problem as Problem where problem.status == .contentTooLarge {
            // The body was not read, so nothing it held can be shown again, and its CSRF token is unknown: the
            // chart is shown with the message and no change was made.
            return try await pages.chart(
                request,
                context,
                refused: .init(form: "document", errors: ["file": problem.detail], message: problem.detail, status: problem.status)
            )
        }
        try context.verifyForm(request, token: upload.values["csrf_token"])
        let mayFileClinical = context.allows(.clinicalWrite)
        // A checkbox sends `true` when ticked and nothing when not; only a clinician is offered it.
        upload.values["clinical"] = mayFileClinical && upload.values["clinical"] == "true" ? "true" : "false"
        let typed = upload.values
        do {
            let database = try await context.storage.database()
            try await PatientDocuments.file(
                upload,
                patient: patient,
                clinicalByDefault: false,
                mayFileClinical: mayFileClinical,
                database: database,
                context: context
            )
        } catch let problem as Problem where [.unprocessableContent, .unsupportedMediaType, .forbidden].contains(problem.status) {
            let message =
                problem.fieldErrors.isEmpty || problem.status == .unsupportedMediaType ? problem.detail : "Please correct the marked fields."
            var errors = problem.fieldErrors
            if problem.status == .unsupportedMediaType { errors["file"] = problem.detail }
            return try await pages.chart(
                request,
                context,
                refused: .init(form: "document", values: typed, errors: errors, message: message, status: problem.status)
            )
        }
        return Pages.seeOther("\(context.basePath)/patients/\(patient)?saved=1#documents-title")
    }

    /// The chart's *Filed in error* form under a document: a reason is required; refused, the chart comes back
    /// with the message under that document and the reason as typed.
    package func withdraw(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let (patient, id) = (try context.recordID(entity: "patient"), try context.recordID("document_id", entity: "document"))
        let (user, actor, permissions) = (context.user, context.actor, context.tenant.permissions)
        do {
            var fields = try body.fields(allowed: ["reason"], ignoring: ["csrf_token"])
            let reason = DocumentWithdrawal.reason(&fields)
            try fields.finish()
            _ = try await context.storage.database().write { db in
                try DocumentWithdrawal.withdraw(db, id: id, patient: patient, reason: reason ?? "", permissions: permissions, by: user, actor: actor)
            }
        } catch let problem as Problem where [.unprocessableContent, .conflict, .forbidden].contains(problem.status) {
            let message = problem.fieldErrors["reason"].map { "The reason \($0)." } ?? problem.detail
            let refused = FormRefusal(
                form: "withdraw-\(id)",
                values: body.values,
                errors: problem.fieldErrors,
                message: message,
                status: problem.status
            )
            return try await pages.chart(request, context, refused: refused)
        }
        return Pages.seeOther("\(context.basePath)/patients/\(patient)?saved=1#documents-title")
    }

    /// `?inline=1` shows an image on the chart; anything else is a download. Either way the whole file reaches the
    /// browser, so each is audited as a view of that document, every time.
    func open(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let patient = try context.recordID(entity: "patient")
        let id = try context.recordID("document_id", entity: "document")
        let inline = request.uri.queryParameters.get("inline") == "1"
        let (tenant, user, actor, branches) = (context.tenant, context.user, context.actor, context.user.branchFilter)
        let database = try await context.storage.database()
        let document = try await database.read { db in try PatientDocuments.find(db, id: id, patient: patient, branches: branches) }
        guard tenant.permissions.allows(user, document.readAction) else {
            try await context.require(document.readAction)
            throw RecordChanges.notFound("document")
        }
        if let withdrawal = document.withdrawal { throw withdrawal.gone(document, time: tenant.readableTime) }
        let shownInline = inline && document.type.isImage
        let bytes = try await database.write { db in
            try PatientDocuments.recordDownload(db, document, how: shownInline ? "shown on the chart" : "download", actor: actor)
            return try PatientDocuments.bytes(db, id: id)
        }
        return DocumentsAPI.file(document, bytes: bytes, inline: shownInline)
    }
}
