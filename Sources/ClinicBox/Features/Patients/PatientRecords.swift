import GRDB

/// Writing patients, shared by the JSON API and the pages: numbering, the duplicate check and versioned updates,
/// each inside the caller's transaction with its audit row.
enum PatientRecords {
    static let changes = RecordChanges(table: "patients", entity: "patient", storedJSON: PatientJSON.object)

    /// Registers a patient and returns its id. Refuses (409) a second patient with the same name and date of
    /// birth unless `allowDuplicate`.
    static func create(_ db: Database, _ form: PatientForm, allowDuplicate: Bool, actor: AuditActor) throws -> Int64 {
        if !allowDuplicate { try refuseDuplicate(db, form) }
        let next = try db.fetchCached(Int64.self, "SELECT coalesce(max(id), 0) + 1 FROM patients") ?? 1
        let number = "P-" + String(next).leftPadded(to: 6)
        let id = try changes.insert(db, [("number", number.databaseValue)] + form.columns, actor: actor, action: "patients.create")
        try PatientSearch.index(db, patient: id, words: PatientSearch.nameWords(first: form.firstName, last: form.lastName))
        return id
    }

    /// Applies the named `fields` to patient `id` if it is still at `version` (a stale version is a 409).
    static func update(_ db: Database, id: Int64, version: Int64, fields: RequestFields, today: CalendarDate, numbering: PhoneNumbering, actor: AuditActor) throws {
        var fields = fields
        var form = PatientForm(row: try changes.current(db, id: id))
        let oldWords = PatientSearch.nameWords(first: form.firstName, last: form.lastName)
        form.apply(&fields, today: today, numbering: numbering)
        try fields.finish()
        try changes.update(db, id: id, version: version, form.columns, actor: actor, action: "patients.update")
        try PatientSearch.index(db, patient: id, words: PatientSearch.nameWords(first: form.firstName, last: form.lastName), replacing: oldWords)
    }

    /// Same name and date of birth as an existing patient: most likely the same person registered twice.
    private static func refuseDuplicate(_ db: Database, _ form: PatientForm) throws {
        guard let dateOfBirth = form.dateOfBirth else { return }
        let sortName = PatientForm.sortName(first: form.firstName, last: form.lastName)
        let numbers = try String.fetchAll(
            db.cachedStatement(sql: "SELECT number FROM patients WHERE date_of_birth = ? AND sort_name = ? ORDER BY id"), arguments: [dateOfBirth, sortName]
        )
        guard !numbers.isEmpty else { return }
        throw Problem(
            .conflict, title: "Possible duplicate",
            detail: "A patient with the same name and date of birth exists (\(numbers.joined(separator: ", "))). Open that record, or confirm that this is a different person.",
            fieldErrors: ["last_name": "same name and date of birth as \(numbers.joined(separator: ", "))"]
        )
    }
}
