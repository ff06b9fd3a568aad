import ClinicBoxCore
import Clinical
import Foundation
import GRDB
import Hummingbird
import Patients

/// Scans and photos filed to a patient, optionally to one of their visits. Each is clinical (seen by those who
/// read clinical content) unless it was marked non-clinical when filed; the type is whatever its bytes are.
package enum PatientDocuments {
    /// What an upload may say besides its file, described once: the allowed names and the upload's schema come
    /// from it; `create` reads them (a visit of the patient's, clinical by default only from a visit).
    package static let fields = RecordFields([
        .text("title", "Title", maxLength: 200, description: "what it is (default: the file's name)"),
        .ruled("visit_id", "Visit", .optionalID),
        .ruled("clinical", "Clinical", .boolean),
    ])

    /// Files a document sent from a page (the chart's or a visit's form): its text parts checked as the API checks
    /// them, in one transaction with its audit row.
    package static func file(
        _ upload: FileUpload,
        patient: Int64,
        clinicalByDefault: Bool,
        mayFileClinical: Bool,
        database: TenantDatabase,
        context: some SignedInContext
    ) async throws {
        let fields = try upload.fields(allowed: DocumentsAPI.allowedFields, ignoring: ["csrf_token"])
        let (user, actor) = (context.user, context.actor)
        _ = try await database.write { db in
            var fields = fields
            return try create(
                db,
                patient: patient,
                upload: upload,
                &fields,
                clinicalByDefault: clinicalByDefault,
                mayFileClinical: mayFileClinical,
                by: user,
                actor: actor
            )
        }
    }

    /// A document's upload, read up to the tenant's `limits.max_document_mb`.
    package static func upload(_ request: Request, _ tenant: Tenant) async throws -> FileUpload {
        let maxMB = tenant.definition.limits.maxDocumentMB
        let tooLarge = Problem(
            .contentTooLarge,
            title: "Document too large",
            detail: "This clinic takes documents of up to \(maxMB) MB (limits.max_document_mb in its tenant file)."
        )
        return try await FileUpload.read(request, maxMB: maxMB, tooLarge: tooLarge)
    }

    package struct Document: Sendable {
        package var id: Int64
        package var patientID: Int64
        package var visitID: Int64?
        package var title: String
        package var type: DocumentType
        package var byteCount: Int
        package var sha256: String
        package var fileName: String?
        package var clinical: Bool
        /// The branch of the visit it was filed to; nil for one filed to the patient alone.
        package var branch: String?
        package var uploadedBy: String
        package var at: String
        /// Set once it was withdrawn as filed in error (`DocumentWithdrawal`).
        package var withdrawal: DocumentWithdrawal?

        /// The action a user needs to see it: non-clinical documents are for everyone who sees the patient.
        package var readAction: PermissionAction { clinical ? .clinicalRead : .patientsRead }

        /// True when a reader of `branches` (nil: every branch) sees it: one filed to a visit goes where the visit goes.
        package func isVisible(in branches: [String]?) -> Bool {
            branch.map { branches?.contains($0) ?? true } ?? true
        }

        /// `Referral letter.pdf`: the title, made safe as a file name, with the extension its bytes call for; a title
        /// that already ends in one (`report.pdf`, `xray.jpeg`) keeps it rather than getting a second.
        package var downloadName: String {
            let cleaned = title.unicodeScalars.map {
                CharacterSet.alphanumerics.union(.init(charactersIn: " -_.,()")).contains($0) ? Character($0) : "_"
            }
            var base = String(String(cleaned).trimmingCharacters(in: .whitespaces).prefix(80))
            if let dot = base.lastIndex(of: "."), type.fileExtensions.contains(base[base.index(after: dot)...].lowercased()) {
                base = String(base[..<dot]).trimmingCharacters(in: .whitespaces)
            }
            return (base.isEmpty ? "document" : base) + "." + type.fileExtension
        }

        /// `PDF, 120 KB`
        package var sizeText: String { Self.sizeText(type, byteCount) }

        package static func sizeText(_ type: DocumentType, _ bytes: Int) -> String { "\(type.label), \(size(bytes))" }

        package static func size(_ bytes: Int) -> String {
            bytes < 1024 ? "\(bytes) bytes" : bytes < 1024 * 1024 ? "\(bytes / 1024) KB" : String(format: "%.1f MB", Double(bytes) / 1_048_576)
        }
    }

    /// A document with its withdrawal, if any: `d.` its own columns, `w.` the withdrawal's.
    private static let select = """
        SELECT d.id, d.patient_id, d.visit_id, d.branch, d.title, d.media_type, d.byte_count, d.sha256, d.file_name, d.clinical, d.uploaded_by_name,
            d.created_at, w.reason AS withdrawn_reason, w.withdrawn_by_name, w.withdrawn_at
        FROM patient_documents d LEFT JOIN patient_document_withdrawals w ON w.document_id = d.id
        """

    /// Files `upload` to `patient` and returns its id; the title defaults to the file's name. A clinical document,
    /// and any document filed to a visit, needs `clinical.write`; the caller checked `patients.documents.write`.
    package static func create(
        _ db: Database,
        patient: Int64,
        upload: FileUpload,
        _ request: inout RequestFields,
        clinicalByDefault: Bool,
        mayFileClinical: Bool,
        by user: AuthenticatedUser,
        actor: AuditActor
    ) throws -> Int64 {
        try PatientFiling.requireInPath(db, patient: patient)
        let typed = request.text("title", maxLength: 200)
        let title =
            typed
            ?? upload.fileName.map { name in
                let stem = (name as NSString).deletingPathExtension
                return String((stem.isEmpty ? name : stem).prefix(200))
            }
        if title == nil, request.errors["title"] == nil { request.fail("title", "is required (or send the file with its name)") }
        let visit = request.integer("visit_id", in: 1...Int64.max)
        let clinical = request.bool("clinical") ?? clinicalByDefault
        if visit != nil, !mayFileClinical {
            throw Problem(
                .forbidden,
                title: "Not permitted",
                detail: "A visit's notes are clinical: only a clinician files a document to a visit. File it to the patient instead."
            )
        }
        let branch = try visit.flatMap { try visitBranch(db, $0, patient: patient, readerBranches: user.branchFilter, request: &request) }
        if upload.bytes.isEmpty { request.fail("file", "is empty") }
        if let name = upload.fileName, name.unicodeScalars.contains(where: { [.control, .format].contains($0.properties.generalCategory) }) {
            request.fail("file", "has a name with control characters; rename the file and send it again")
        }
        try request.finish()
        guard let type = DocumentType(sniffing: upload.bytes) else {
            throw Problem(
                .unsupportedMediaType,
                title: "Unsupported document type",
                detail:
                    "This file is \(DocumentType.describe(upload.bytes)); a chart takes \(DocumentType.allowedList) files, recognised by their contents whatever their name.",
                fieldErrors: ["file": "must be a \(DocumentType.allowedList) file"]
            )
        }
        guard !clinical || mayFileClinical else {
            throw Problem(
                .forbidden,
                title: "Not permitted",
                detail:
                    "Your role files non-clinical documents only (an ID or insurance card, a letter's cover); send clinical=false, or ask a clinician to file a clinical one."
            )
        }
        let digest = upload.sha256
        let uploader = try user.nameAsRecorded(db)
        try db.execute(
            sql: """
                INSERT INTO patient_documents (patient_id, visit_id, branch, title, media_type, byte_count, sha256, file_name, clinical, uploaded_by, uploaded_by_name, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                patient, visit, branch, title, type.mediaType, upload.bytes.count, digest, upload.fileName.map { String($0.prefix(255)) }, clinical,
                user.id, uploader, Timestamp.now,
            ]
        )
        let id = db.lastInsertedRowID
        try db.execute(sql: "INSERT INTO patient_document_contents (document_id, bytes) VALUES (?, ?)", arguments: [id, Data(upload.bytes)])
        try AuditLog.record(
            db,
            actor: actor,
            action: "patients.document_filed",
            entityType: "patient",
            entityID: String(patient),
            changes: [
                "document": .init(before: nil, after: "\(id): \(title ?? "")"), "type": .init(before: nil, after: type.mediaType),
                "bytes": .init(before: nil, after: String(upload.bytes.count)), "sha256": .init(before: nil, after: digest),
                "clinical": .init(before: nil, after: String(clinical)),
            ]
        )
        return id
    }

    /// The branch of the visit a document is filed to. It must be a visit of the same patient at one of the
    /// filer's branches; every other number reads the same, so the message tells nobody which visits exist or whose.
    private static func visitBranch(
        _ db: Database,
        _ visit: Int64,
        patient: Int64,
        readerBranches: [String]?,
        request: inout RequestFields
    ) throws -> String? {
        guard try db.tableExists("visits") else {
            request.fail("visit_id", "this clinic does not record visits")
            return nil
        }
        let row = try Row.fetchOne(db, sql: "SELECT patient_id, branch FROM visits WHERE id = ?", arguments: [visit])
        guard let row, row["patient_id"] == patient, readerBranches?.contains(row["branch"]) ?? true else {
            request.fail("visit_id", "is not one of this patient's visits that you can see")
            return nil
        }
        return row["branch"]
    }

    package static func document(_ row: Row) -> Document {
        Document(
            id: row["id"],
            patientID: row["patient_id"],
            visitID: row["visit_id"],
            title: row["title"],
            type: DocumentType(rawValue: row["media_type"]) ?? .pdf,
            byteCount: row["byte_count"],
            sha256: row["sha256"],
            fileName: row["file_name"],
            clinical: row["clinical"],
            branch: row["branch"],
            uploadedBy: row["uploaded_by_name"],
            at: row["created_at"],
            withdrawal: (row["withdrawn_reason"] as String?).map {
                DocumentWithdrawal(reason: $0, by: row["withdrawn_by_name"], at: row["withdrawn_at"])
            }
        )
    }

    /// The patient's documents the user may see (clinical ones only with `withClinical`, those filed to a visit
    /// only at `branches`, nil for every branch), newest first, without those withdrawn.
    package static func list(_ db: Database, patient: Int64, withClinical: Bool, branches: [String]?, limit: Int = 500) throws -> [Document] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    \(select) WHERE d.patient_id = :patient AND (d.clinical = 0 OR :clinical) AND w.document_id IS NULL
                        AND (d.branch IS NULL OR \(ChartReader.inBranches("d.branch"))) ORDER BY d.created_at DESC, d.id DESC LIMIT :limit
                    """
            ),
            arguments: ["patient": patient, "clinical": withClinical, "branches": branches.map(BranchCodes.encode), "limit": limit]
        ).map(document)
    }

    /// The documents filed to one visit of `patient` (all clinical readers see: a visit is clinical content), newest
    /// first, without those withdrawn.
    package static func list(_ db: Database, patient: Int64, visit: Int64) throws -> [Document] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: "\(select) WHERE d.patient_id = ? AND d.visit_id = ? AND w.document_id IS NULL ORDER BY d.created_at DESC, d.id DESC"
            ),
            arguments: [patient, visit]
        ).map(document)
    }

    /// One document of `patient`, seen from `branches` (nil: every branch), or a 404 that reads the same for another
    /// patient's, another branch's or another tenant's.
    package static func find(_ db: Database, id: Int64, patient: Int64? = nil, branches: [String]?) throws -> Document {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "\(select) WHERE d.id = ?"), arguments: [id]),
            patient == nil || row["patient_id"] == patient
        else { throw RecordChanges.notFound("document") }
        let found = document(row)
        guard found.isVisible(in: branches) else { throw RecordChanges.notFound("document") }
        return found
    }

    package static func bytes(_ db: Database, id: Int64) throws -> Data {
        guard let data = try Data.fetchOne(db, sql: "SELECT bytes FROM patient_document_contents WHERE document_id = ?", arguments: [id]) else {
            throw RecordChanges.notFound("document")
        }
        return data
    }

    /// Writes the `patients.chart_viewed` row a download owes, every time: a document may leave the building. An
    /// image shown on the chart is recorded the same way (`how`: "shown on the chart"), naming the document, since
    /// its whole file reaches the browser as a download's does.
    package static func recordDownload(_ db: Database, _ document: Document, how: String, actor: AuditActor) throws {
        try AuditLog.record(
            db,
            actor: actor,
            action: ChartViews.action,
            entityType: "patient",
            entityID: String(document.patientID),
            changes: [
                "what": .init(before: nil, after: "document “\(document.title)” (\(how))"),
                "document": .init(before: nil, after: String(document.id)),
            ]
        )
    }

    package static func json(_ document: Document) -> JSONValue {
        .object([
            "id": .integer(document.id), "patient_id": .integer(document.patientID), "visit_id": document.visitID.map(JSONValue.integer) ?? .null,
            "title": .string(document.title), "media_type": .string(document.type.mediaType), "byte_count": .integer(Int64(document.byteCount)),
            "sha256": .string(document.sha256), "file_name": document.fileName.map(JSONValue.string) ?? .null, "clinical": .bool(document.clinical),
            "uploaded_by": .string(document.uploadedBy), "uploaded_at": .string(document.at), "download": .string("/api/v1/documents/\(document.id)"),
            "withdrawn_reason": document.withdrawal.map { .string($0.reason) } ?? .null,
            "withdrawn_by": document.withdrawal.map { .string($0.by) } ?? .null,
            "withdrawn_at": document.withdrawal.map { .string($0.at) } ?? .null,
        ])
    }
}
