import ClinicBoxCore
import GRDB

/// How a search box finds patients, the same for the API's `?q=` and the list page: a patient number exactly; a
/// phone number written locally or internationally (both are compared in E.164, and by their digits); or name
/// words in any order, each the start of a word of the name, ignoring case and accents ("hans mül" finds
/// Hans Müller, and so does "Müller Hans").
///
/// Name words are kept in `patient_name_words`, one row per word and patient, so a word is found by an index
/// range, not by reading every name.
package enum PatientSearch {
    /// At most this many words of a query are matched (a name has few; more would only slow the query).
    package static let maximumWords = 6

    /// The patient with this number (`P-000123`, any case), as receptionists type it into forms.
    package static func id(number: String, _ db: Database) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM patients WHERE number = ? COLLATE NOCASE"), arguments: [number])
    }

    package static func conditions(_ q: String, numbering: PhoneNumbering) -> SQLConditions {
        var conditions = SQLConditions()
        guard !q.isEmpty else { return conditions }
        let digits = PatientForm.digits(q)
        if digits.count >= 5, digits.count == q.filter({ !$0.isWhitespace && !"+-()./".contains($0) }).count {
            let partial = "%" + digits + "%"
            if let e164 = numbering.e164(q) {
                conditions.add("(patients.phone_e164 = ? OR patients.phone_digits LIKE ?)", [e164, partial])
            } else {
                conditions.add("patients.phone_digits LIKE ?", [partial])
            }
            return conditions
        }
        let words = Array(Self.words(q).prefix(maximumWords))
        guard !words.isEmpty else {
            conditions.add("patients.number = ? COLLATE NOCASE", [q])
            return conditions
        }
        // Every word starts a word of the name: `word >= w AND word < w + U+10FFFF` is that prefix as a range.
        let each = "patients.id IN (SELECT patient_id FROM patient_name_words WHERE word >= ? AND word < ?)"
        var arguments: StatementArguments = [q]
        for word in words { _ = arguments.append(contentsOf: [word, word + "\u{10FFFF}"]) }
        conditions.add(
            "(patients.number = ? COLLATE NOCASE OR (\(Array(repeating: each, count: words.count).joined(separator: " AND "))))",
            arguments
        )
        return conditions
    }

    /// The words of a name or a query, folded for case and accents: split at spaces and hyphens, apostrophes
    /// dropped (`O'Brien` is `obrien`), in order, each once.
    package static func words(_ text: String) -> [String] {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).filter { $0 != "'" && $0 != "’" }
        var seen: Set<String> = []
        return folded.split { $0.isWhitespace || $0 == "-" || $0 == "‐" }.map(String.init).filter { seen.insert($0).inserted }
    }

    /// The words a patient is found by: those of the first and the last name.
    package static func nameWords(first: String, last: String) -> Set<String> {
        Set(words(first) + words(last))
    }

    /// Brings patient `id`'s rows in `patient_name_words` from the words of its old name (none for a new patient) to
    /// those of its new one, in the transaction that writes the name: only the words that changed are written, each
    /// by its primary key, so the table needs no second index.
    package static func index(_ db: Database, patient id: Int64, words: Set<String>, replacing old: Set<String> = []) throws {
        for word in old.subtracting(words) {
            try db.cachedStatement(sql: "DELETE FROM patient_name_words WHERE word = ? AND patient_id = ?").execute(arguments: [word, id])
        }
        for word in words.subtracting(old) {
            try db.cachedStatement(sql: "INSERT INTO patient_name_words (word, patient_id) VALUES (?, ?)").execute(arguments: [word, id])
        }
    }

    /// `patients.v3`: the word index and the E.164 phone column, filled for the patients already there.
    package static let migration = TenantSchema.Step(id: "patients.v3") { db, context in
        try db.execute(
            sql: """
                CREATE TABLE patient_name_words (
                    word TEXT NOT NULL,
                    patient_id INTEGER NOT NULL REFERENCES patients (id),
                    PRIMARY KEY (word, patient_id)
                ) STRICT, WITHOUT ROWID;
                CREATE INDEX patient_name_words_by_patient ON patient_name_words (patient_id);
                ALTER TABLE patients ADD COLUMN phone_e164 TEXT;
                CREATE INDEX patients_by_e164 ON patients (phone_e164);
                """
        )
        let rows = try Row.fetchAll(db, sql: "SELECT id, first_name, last_name, phone FROM patients")
        for row in rows {
            try index(db, patient: row["id"], words: nameWords(first: row["first_name"], last: row["last_name"]))
            if let phone = row["phone"] as String?, let e164 = context.phoneNumbering.e164(phone) {
                try db.execute(sql: "UPDATE patients SET phone_e164 = ? WHERE id = ?", arguments: [e164, row["id"] as Int64])
            }
        }
    }

    /// `patients.v4`: the index of words by patient goes; a rename deletes its old words by primary key instead,
    /// and a create writes one index fewer.
    package static let dropWordsByPatient = TenantSchema.Step(id: "patients.v4") { db, _ in
        try db.execute(sql: "DROP INDEX patient_name_words_by_patient")
    }
}
