import ClinicBoxCore
import GRDB

/// Writing patients, shared by the JSON API and the pages: numbering, the duplicate check and versioned updates,
/// each inside the caller's transaction with its audit row.
package enum PatientRecords {
    package static let changes = RecordChanges(table: "patients", entity: "patient", storedJSON: PatientJSON.object)

    /// Registers a patient and returns its id. Someone who may already be registered (`PatientDuplicates`) is
    /// refused (409) unless `confirmNew`; registering them anyway is audited with the records it was told of.
    package static func create(_ db: Database, _ form: PatientForm, confirmNew: Bool, actor: AuditActor) throws -> Int64 {
        let candidates = try PatientDuplicates.candidates(db, form)
        if !candidates.isEmpty, !confirmNew { throw PatientDuplicates.problem(candidates) }
        let next = try db.fetchCached(Int64.self, "SELECT coalesce(max(id), 0) + 1 FROM patients") ?? 1
        let number = "P-" + String(next).leftPadded(to: 6)
        let id = try changes.insert(db, [("number", number.databaseValue)] + form.columns, actor: actor, action: "patients.create")
        try PatientSearch.index(db, patient: id, words: PatientSearch.nameWords(first: form.firstName, last: form.lastName))
        if !candidates.isEmpty {
            try AuditLog.record(
                db,
                actor: actor,
                action: "patients.registered_despite_duplicates",
                entityType: "patient",
                entityID: String(id),
                changes: ["candidates": .init(before: nil, after: candidates.map { "\($0.number) (\($0.why))" }.joined(separator: "; "))]
            )
        }
        return id
    }

    /// Applies the named `fields` to patient `id` if it is still at `version` (a stale version is a 409).
    package static func update(
        _ db: Database,
        id: Int64,
        version: Int64,
        fields: RequestFields,
        today: CalendarDate,
        numbering: PhoneNumbering,
        actor: AuditActor
    ) throws {
        var fields = fields
        let row = try changes.current(db, id: id)
        if let kept = row["merged_into"] as Int64? {
            let number = try String.fetchOne(db, sql: "SELECT number FROM patients WHERE id = ?", arguments: [kept]) ?? "another record"
            throw Problem(
                .conflict,
                title: "Merged record",
                detail: "\(row["number"] as String) was merged into \(number); change that record instead."
            )
        }
        var form = PatientForm(row: row)
        let oldWords = PatientSearch.nameWords(first: form.firstName, last: form.lastName)
        form.apply(&fields, today: today, numbering: numbering)
        try fields.finish()
        try changes.update(db, id: id, version: version, form.columns, actor: actor, action: "patients.update")
        try PatientSearch.index(db, patient: id, words: PatientSearch.nameWords(first: form.firstName, last: form.lastName), replacing: oldWords)
    }

}
