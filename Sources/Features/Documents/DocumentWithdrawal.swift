import ClinicBoxCore
import Clinical
import GRDB
import Patients

/// A document filed in error (another patient's scan, a duplicate) is withdrawn, never removed: one row says who
/// withdrew it, when and why. From then on the chart, its timeline and the lists leave it out, and opening it
/// answers `410 Gone` with that sentence; its bytes stay in the tenant's file as evidence. Withdrawing needs the
/// right to file such a document, and the row, like the document, never changes (the triggers refuse it).
package struct DocumentWithdrawal: Sendable {
    package var reason: String
    package var by: String
    package var at: String

    /// The longest reason kept.
    package static let reasonLimit = 500

    /// Withdraws document `id` (of `patient`, when given) and returns it as it now reads. The caller checked
    /// `patients.documents.write`; a document the user may not see is a 404 (they learn nothing of it), and a
    /// clinical one needs `clinical.write` as well.
    package static func withdraw(
        _ db: Database,
        id: Int64,
        patient: Int64? = nil,
        reason: String,
        permissions: Permissions,
        by user: AuthenticatedUser,
        actor: AuditActor
    ) throws -> PatientDocuments.Document {
        let document = try PatientDocuments.find(db, id: id, patient: patient, branches: user.branchFilter)
        guard permissions.allows(user, document.readAction) else { throw RecordChanges.notFound("document") }
        guard !document.clinical || permissions.allows(user, .clinicalWrite) else {
            throw Problem(.forbidden, title: "Not permitted", detail: "Only a clinician withdraws a clinical document.")
        }
        if let withdrawal = document.withdrawal {
            throw Problem(
                .conflict,
                title: "Already withdrawn",
                detail: "“\(document.title)” was withdrawn by \(withdrawal.by): \(withdrawal.reason)"
            )
        }
        try db.execute(
            sql:
                "INSERT INTO patient_document_withdrawals (document_id, reason, withdrawn_by, withdrawn_by_name, withdrawn_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [id, reason, user.id, try user.nameAsRecorded(db), Timestamp.now]
        )
        try AuditLog.record(
            db,
            actor: actor,
            action: "patients.document_withdrawn",
            entityType: "patient",
            entityID: String(document.patientID),
            changes: ["document": .init(before: "\(id): \(document.title)", after: nil), "reason": .init(before: nil, after: reason)]
        )
        return try PatientDocuments.find(db, id: id, branches: nil)
    }

    /// What opening a withdrawn document answers.
    package func gone(_ document: PatientDocuments.Document, time: ReadableTime) -> Problem {
        Problem(
            .gone,
            title: "Document withdrawn",
            detail:
                "“\(document.title)” was withdrawn as filed in error by \(by), \(time.moment(at)): \(reason). It is kept in the record but no longer shown."
        )
    }

    /// The reason a request or form gives, or the field error that it is missing.
    package static func reason(_ fields: inout RequestFields) -> String? {
        fields.text("reason", required: true, maxLength: reasonLimit)
    }
}
