import ClinicBoxCore
import GRDB

/// Someone who may already be registered: born the same day and with a similar name ("Olivier Bennet" for "Oliver
/// Bennett") or the same phone. A shared phone alone is no sign — a family often has one — and neither is a
/// birthday alone. A second record splits a patient's history — the new one shows "Allergies not recorded" while the old one
/// holds a penicillin allergy — so registering asks first, and registering anyway is a decision that is audited.
package enum PatientDuplicates {
    package struct Candidate: Sendable, Equatable {
        package var id: Int64
        package var number: String
        package var name: String
        /// `born 3 Mar 1980 · +254 712 345678`
        package var detail: String
        /// Why it is offered: "same date of birth, similar name", "same date of birth and phone".
        package var why: String
    }

    /// How many letters two names may differ by (a typo, a transliteration: Olivier/Oliver, Bennet/Bennett).
    package static let letters = 2

    /// Active registered patients (merged records left out) who may be the person `form` describes, by the index on
    /// date of birth: never a scan of the patients.
    package static func candidates(_ db: Database, _ form: PatientForm) throws -> [Candidate] {
        guard let born = form.dateOfBirth else { return [] }
        let digits = form.columns.first { $0.0 == "phone_digits" }.flatMap { String.fromDatabaseValue($0.1) }
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT id, number, first_name, last_name, date_of_birth, phone, phone_digits FROM patients
                    WHERE date_of_birth = ? AND active = 1 AND merged_into IS NULL ORDER BY id LIMIT 200
                    """
            ),
            arguments: [born]
        )
        let typed = (fold(form.firstName), fold(form.lastName))
        return rows.compactMap { row in
            let (first, last): (String, String) = (row["first_name"], row["last_name"])
            let (sameName, samePhone) = (similar(typed, (fold(first), fold(last))), digits.map { row["phone_digits"] == $0 } ?? false)
            guard sameName || samePhone else { return nil }
            let reasons = ["same date of birth" + (samePhone ? " and phone" : ""), sameName ? "similar name" : nil].compactMap { $0 }
            let born = (row["date_of_birth"] as String?).flatMap(CalendarDate.init).map { "born " + ReadableTime.day($0) }
            return Candidate(
                id: row["id"],
                number: row["number"],
                name: "\(first) \(last)",
                detail: [born, row["phone"] as String?].compactMap { $0 }.joined(separator: " · "),
                why: reasons.joined(separator: ", ")
            )
        }
    }

    /// The refusal a registration meets when `found` is not empty: the candidates in words, each by number.
    package static func problem(_ found: [Candidate]) -> Problem {
        let list = found.map { "\($0.number) \($0.name) (\($0.why))" }.joined(separator: "; ")
        return Problem(
            .conflict,
            title: "Possible duplicate",
            detail: "This patient may already be registered: \(list). Open that record, or send confirm_new: true if this is a different person.",
            fieldErrors: [
                "confirm_new": "is required to register someone who may already be registered as \(found.map(\.number).joined(separator: ", "))"
            ],
            pageDetail:
                "This patient may already be registered. Open the record below if it is the same person; register anyway only if it is someone else."
        )
    }

    package static func fold(_ name: String) -> String {
        String(name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).filter(\.isLetter))
    }

    /// The same name up to `letters` typed differently, in either order (first and last names swapped).
    package static func similar(_ typed: (String, String), _ known: (String, String)) -> Bool {
        let (name, straight, swapped) = (typed.0 + " " + typed.1, known.0 + " " + known.1, known.1 + " " + known.0)
        return distance(name, straight) <= letters || distance(name, swapped) <= letters
    }

    /// Levenshtein distance, stopping early once it exceeds `letters`.
    package static func distance(_ a: String, _ b: String) -> Int {
        let (a, b) = (Array(a), Array(b))
        guard abs(a.count - b.count) <= letters else { return letters + 1 }
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            if current.min()! > letters { return letters + 1 }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}
