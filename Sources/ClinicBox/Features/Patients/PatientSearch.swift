import GRDB

/// How a search box finds patients: a patient number exactly, a phone number by its digits, or any part of the
/// name (case- and accent-insensitive). The same for the API's `?q=` and the list page.
enum PatientSearch {
    /// The patient with this number (`P-000123`, any case), as receptionists type it into forms.
    static func id(number: String, _ db: Database) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM patients WHERE number = ? COLLATE NOCASE"), arguments: [number])
    }

    static func conditions(_ q: String) -> SQLConditions {
        var conditions = SQLConditions()
        guard !q.isEmpty else { return conditions }
        let digits = PatientForm.digits(q)
        if digits.count >= 5, digits.count == q.filter({ !$0.isWhitespace && !"+-()".contains($0) }).count {
            conditions.add("patients.phone_digits LIKE ? ESCAPE '\\'", ["%" + digits + "%"])
        } else {
            let name = "%" + PatientForm.sortName(first: "", last: q).trimmingSpaces.likeEscaped + "%"
            conditions.add("(patients.number = ? COLLATE NOCASE OR patients.sort_name LIKE ? ESCAPE '\\')", [q, name])
        }
        return conditions
    }
}
