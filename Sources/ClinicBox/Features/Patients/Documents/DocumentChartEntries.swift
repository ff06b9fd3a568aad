import GRDB

extension PatientsModule {
    /// Each filed document, opened by its link; a clinical one only for those who read clinical content.
    func chartEntries(_ db: Database, patient: Int64, limit: Int, time: ReadableTime) throws -> [ChartEntry] {
        try PatientDocuments.list(db, patient: patient, withClinical: true, limit: limit).map { document in
            ChartEntry(
                at: document.at, kind: "document", title: "Document “\(document.title)”",
                detail: [document.sizeText, "filed by \(document.uploadedBy)", document.clinical ? nil : "non-clinical"].compactMap { $0 }.joined(separator: " · "),
                path: "/patients/\(patient)/documents/\(document.id)", action: document.readAction
            )
        }
    }
}
