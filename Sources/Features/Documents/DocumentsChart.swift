import ClinicBoxCore
import Clinical
import GRDB
import Patients

extension DocumentsModule {
    /// Each filed document, opened by its link: clinical ones for those who read clinical content, the others
    /// for everyone who sees the patient (two sources, so the query leaves out what the user may not see); none
    /// that was withdrawn, and none filed to a visit at a branch the reader does not work in.
    package var timelineSources: [TimelineSource] {
        [true, false].map { clinical in
            TimelineSource(
                kind: "document",
                action: clinical ? .clinicalRead : .patientsRead,
                query: """
                    SELECT created_at, id, patient_id, title, media_type, byte_count, uploaded_by_name
                    FROM patient_documents WHERE patient_id = :patient AND clinical = \(clinical ? 1 : 0) AND (branch IS NULL OR \(ChartReader.inBranches("branch")))
                        AND NOT EXISTS (SELECT 1 FROM patient_document_withdrawals w WHERE w.document_id = patient_documents.id)
                    """
            ) { row, _ in
                let (patient, title, mediaType, bytes, by): (Int64, String, String, Int, String) = (row[0], row[1], row[2], row[3], row[4])
                let size = PatientDocuments.Document.sizeText(DocumentType(rawValue: mediaType) ?? .pdf, bytes)
                return (
                    "Document “\(title)”", [size, "filed by \(by)", clinical ? nil : "non-clinical"].compactMap { $0 }.joined(separator: " · "),
                    "/patients/\(patient)/documents/\(row.id)"
                )
            }
        }
    }
}

extension DocumentsModule {
    /// The chart's *Documents* section: those the user may see, newest first (clinical ones for clinical roles,
    /// none from a visit at a branch they do not work in), each with its *Filed in error* form, and the upload form.
    var chartSection: ChartSection {
        ChartSection(place: .beforeTimeline) { db, showing in
            let (withClinical, branches) = (showing.reader.may(.clinicalRead, showing.context.tenant.permissions), showing.reader.branches)
            return try PatientDocuments.list(db, patient: showing.patient, withClinical: withClinical, branches: branches, limit: 100)
        } render: { documents, showing in
            let (context, time, base) = (showing.context, showing.context.tenant.readableTime, showing.chartPath)
            let mine = showing.refused?.of("document")
            var data: [String: Any] = [
                "hasDocuments": !documents.isEmpty, "canFileDocuments": context.allows(.documentsWrite),
                "mayFileClinical": context.allows(.clinicalWrite),
                "documentAction": base + "/documents", "documentTitle": mine?.values["title"] ?? "",
                "documentClinical": mine.map { $0.values["clinical"] == "true" } ?? true,
                "documents": documents.map { document -> [String: Any] in
                    let href = "\(base)/documents/\(document.id)"
                    var row: [String: Any] = [
                        "id": document.id, "title": document.title, "size": document.sizeText, "uploadedBy": document.uploadedBy,
                        "at": time.moment(document.at),
                        "clinical": document.clinical, "href": href, "isImage": document.type.isImage, "inlineHref": href + "?inline=1",
                        "mayWithdraw": context.allows(.documentsWrite) && (!document.clinical || context.allows(.clinicalWrite)),
                        "withdrawAction": href + "/withdraw",
                    ]
                    if let refused = showing.refused?.of("withdraw-\(document.id)") {
                        row["withdrawError"] = refused.message
                        row["withdrawReason"] = refused.values["reason"] ?? ""
                        row["withdrawOpen"] = true
                    }
                    return row
                },
            ]
            if let error = mine?.errors["file"] { data["fileError"] = error }
            if let error = mine?.errors["title"] { data["titleError"] = error }
            if let message = mine?.message, mine?.errors["file"] != message { data["documentMessage"] = message }
            data["documentOpen"] = mine != nil
            return showing.pages.fragment(context, "chart-section", data: data)
        }
    }
}
