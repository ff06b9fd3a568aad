import ClinicBoxCore
import GRDB

/// Whether a new record may be filed under a patient: they are this tenant's, and not a record merged into another
/// (a tombstone takes nothing new; its number still leads to the kept record). Every module that files records
/// under `patient_id` asks here, so an integrator holding an old id hears where the record went.
package enum PatientFiling {
    /// For a patient named in a request's fields (`patient_id`): a `422` naming the field.
    package static func require(_ db: Database, patient: Int64) throws {
        switch try state(db, patient) {
        case .fileable: return
        case .missing:
            throw Problem(
                .unprocessableContent,
                title: "Invalid fields",
                detail: "Check patient_id.",
                fieldErrors: ["patient_id": "is not a patient of this clinic"]
            )
        case .merged(let message):
            throw Problem(.unprocessableContent, title: "Merged record", detail: "\(message).", fieldErrors: ["patient_id": message])
        }
    }

    /// For a patient named in the path (`/patients/7/allergies`): a `404` when there is none, a `409` for a merged
    /// record, naming the record it was merged into.
    package static func requireInPath(_ db: Database, patient: Int64) throws {
        switch try state(db, patient) {
        case .fileable: return
        case .missing: throw RecordChanges.notFound("patient")
        case .merged(let message): throw Problem(.conflict, title: "Merged record", detail: "\(message).")
        }
    }

    private enum State {
        case fileable, missing
        /// "P-000002 was merged into P-000001; file it under P-000001".
        case merged(String)
    }

    private static func state(_ db: Database, _ patient: Int64) throws -> State {
        let sql = "SELECT p.number, k.number AS kept FROM patients p LEFT JOIN patients k ON k.id = p.merged_into WHERE p.id = ?"
        guard let row = try db.fetchOneCached(sql, [patient]) else { return .missing }
        guard let kept = row["kept"] as String? else { return .fileable }
        return .merged("\(row["number"] as String) was merged into \(kept); file it under \(kept)")
    }
}
