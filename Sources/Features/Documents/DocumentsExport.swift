import ClinicBoxCore
import Foundation
import GRDB

extension DocumentsModule {
    /// The documents filed in the record, each as the file that was filed; those withdrawn as filed in error are left
    /// out (they are not the patient's), and the summary says how many.
    package var patientExport: [PatientExportTable] {
        let withdrawn = "EXISTS (SELECT 1 FROM patient_document_withdrawals w WHERE w.document_id = patient_documents.id)"
        return [
            PatientExportTable(
                key: "documents",
                title: "Documents",
                sql: "SELECT * FROM patient_documents WHERE patient_id = :patient AND NOT \(withdrawn) ORDER BY created_at, id",
                summary: [
                    ("created_at", "Filed"), ("title", "Title"), ("file_name", "File"), ("media_type", "Type"), ("uploaded_by_name", "Filed by"),
                ],
                file: { db, row in
                    let id: Int64 = row["id"]
                    guard let bytes = try Data.fetchOne(db, sql: "SELECT bytes FROM patient_document_contents WHERE document_id = ?", arguments: [id])
                    else { return nil }
                    return ("\(id)-\(Self.safeFileName(row["file_name"] ?? "document"))", bytes)
                },
                leftOut: (
                    "SELECT count(*) FROM patient_documents WHERE patient_id = :patient AND \(withdrawn)",
                    "Documents withdrawn as filed in error (in another patient's record, or a wrong file) are left out of this copy: {}."
                )
            )
        ]
    }

    /// A file name that stays one name inside the archive: no folders, no leading dots, no control characters.
    static func safeFileName(_ name: String) -> String {
        let kept = name.unicodeScalars.map { scalar -> Character in
            scalar.properties.generalCategory == .control || "/\\:*?\"<>|".unicodeScalars.contains(scalar) ? "_" : Character(scalar)
        }
        let trimmed = String(String(kept).drop { $0 == "." || $0 == " " }.prefix(120))
        return trimmed.isEmpty ? "document" : trimmed
    }
}
