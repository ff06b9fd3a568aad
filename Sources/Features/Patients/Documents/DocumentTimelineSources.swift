import ClinicBoxCore
import GRDB

extension PatientsModule {
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
