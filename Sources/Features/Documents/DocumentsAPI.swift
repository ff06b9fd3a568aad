import ClinicBoxCore
import Clinical
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import Patients

/// The handlers of `/api/v1/patients/{id}/documents` and `/api/v1/documents/{id}` (declared in `PatientsModule`).
package struct DocumentsAPI {
    package static let allowedFields = PatientDocuments.fields.names

    package func file(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let patient = try context.recordID(entity: "patient")
        let upload = try await PatientDocuments.upload(request, context.tenant)
        let fields = try upload.fields(allowed: Self.allowedFields)
        let (user, actor, mayFileClinical) = (context.user, context.actor, context.allows(.clinicalWrite))
        return try await Idempotency.write(request, context, fields: upload.fingerprint) { [upload] db in
            var fields = fields
            let id = try PatientDocuments.create(
                db,
                patient: patient,
                upload: upload,
                &fields,
                clinicalByDefault: true,
                mayFileClinical: mayFileClinical,
                by: user,
                actor: actor
            )
            return .init(
                status: .created,
                json: String(decoding: JSON.encode(PatientDocuments.json(try PatientDocuments.find(db, id: id, branches: nil))), as: UTF8.self)
            )
        }
    }

    package func list(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let patient = try context.recordID(entity: "patient")
        let (withClinical, branches) = (context.allows(.clinicalRead), context.user.branchFilter)
        let database = try await context.storage.database()
        let documents = try await database.read { db in
            try PatientAllergies.requirePatient(db, patient)
            return try PatientDocuments.list(db, patient: patient, withClinical: withClinical, branches: branches)
        }
        if withClinical { try await ChartViews.record(database, patient: patient, what: "documents (API)", actor: context.actor) }
        return .json(JSONValue.object(["items": .array(documents.map(PatientDocuments.json))]))
    }

    package func download(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id = try context.recordID(entity: "document")
        let (actor, tenant, user, branches) = (context.actor, context.tenant, context.user, context.user.branchFilter)
        let (document, bytes) = try await context.storage.database().write { db in
            let document = try PatientDocuments.find(db, id: id, branches: branches)
            guard tenant.permissions.allows(user, document.readAction) else { return (document, Data?.none) }
            if let withdrawal = document.withdrawal { throw withdrawal.gone(document, time: tenant.readableTime) }
            try PatientDocuments.recordDownload(db, document, how: "API download", actor: actor)
            return (document, try PatientDocuments.bytes(db, id: id))
        }
        guard let bytes else {
            try await context.require(document.readAction)
            throw RecordChanges.notFound("document")
        }
        return Self.file(document, bytes: bytes, inline: false)
    }

    /// `POST /api/v1/documents/{id}/withdraw`: `{"reason": …}`; the document as it now reads.
    package func withdraw(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id = try context.recordID(entity: "document")
        var fields = try await RequestFields.read(request, allowed: ["reason"])
        let reason = DocumentWithdrawal.reason(&fields)
        try fields.finish()
        let (user, actor, permissions) = (context.user, context.actor, context.tenant.permissions)
        return try await Idempotency.write(request, context, fields: fields) { db in
            let document = try DocumentWithdrawal.withdraw(db, id: id, reason: reason ?? "", permissions: permissions, by: user, actor: actor)
            return .init(status: .ok, json: String(decoding: JSON.encode(PatientDocuments.json(document)), as: UTF8.self))
        }
    }

    /// The document's bytes as a download (or, for an image shown on the chart, inline), never cached on a shared PC.
    package static func file(_ document: PatientDocuments.Document, bytes: Data, inline: Bool) -> Response {
        let name = document.downloadName
        let ascii = String(name.unicodeScalars.map { $0.isASCII && $0 != "\"" && $0 != "\\" ? Character($0) : "_" })
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~"))) ?? ascii
        let disposition = (inline && document.type.isImage ? "inline" : "attachment") + "; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
        return Response(
            status: .ok,
            headers: [
                .contentType: document.type.mediaType, .contentDisposition: disposition, .cacheControl: "private, no-store",
                .eTag: "\"\(document.sha256)\"",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }
}
