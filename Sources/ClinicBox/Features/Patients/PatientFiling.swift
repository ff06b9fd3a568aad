import GRDB

/// Whether a new record may be filed under a patient: they are this tenant's, and not a record merged into another
/// (a tombstone takes nothing new; its number still leads to the kept record). Every module that files records
/// under `patient_id` asks here, so an integrator holding an old id hears where the record went.
enum PatientFiling {
    static func require(_ db: Database, patient: Int64) throws {
        let sql = "SELECT p.number, k.number AS kept FROM patients p LEFT JOIN patients k ON k.id = p.merged_into WHERE p.id = ?"
        guard let row = try db.fetchOneCached(sql, [patient]) else {
            throw Problem(
                .unprocessableContent,
                title: "Invalid fields",
                detail: "Check patient_id.",
                fieldErrors: ["patient_id": "is not a patient of this clinic"]
            )
        }
        if let kept = row["kept"] as String? {
            let message = "\(row["number"] as String) was merged into \(kept); file it under \(kept)"
            throw Problem(.unprocessableContent, title: "Merged record", detail: "\(message).", fieldErrors: ["patient_id": message])
        }
    }

    /// The same for a patient named in the path (`/patients/7/allergies`): a `404` when there is none, a `409` for a
    /// merged record, naming the record it was merged into.
    static func requireInPath(_ db: Database, patient: Int64) throws {
        do {
            try require(db, patient: patient)
        } catch let problem as Problem where problem.title == "Merged record" {
            throw Problem(.conflict, title: "Merged record", detail: problem.detail)
        } catch let problem as Problem where problem.status == .unprocessableContent {
            throw RecordChanges.notFound("patient")
        }
    }
}
