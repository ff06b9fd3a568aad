import ClinicBoxCore
import GRDB
import Mustache

/// Choosing one patient on a form by name, phone or number, the same on every form that needs one (booking,
/// prescribing, the treatment plan), and without JavaScript: the form is sent, and unless the text is a patient
/// number, the same form comes back with a short list of the patients it matches to choose from, everything else
/// as typed. Nobody is chosen for the user: even a single match is offered, not taken.
package struct PatientPicker: Sendable {
    /// At most this many matches are offered; more means "type more of the name".
    package static let limit = 10

    package struct Match: Sendable {
        package var id: Int64
        package var number: String
        package var name: String
        /// `P-000001 · born 1 Dec 1980 · +49 151 2345 6789`, enough to tell two Hans Müllers apart.
        package var detail: String
    }

    package enum Outcome: Sendable {
        case patient(Match)
        case choices([Match], more: Bool)
        case problem(String)
    }

    /// The text typed in the `patient` box, the `patient_id` chosen from an earlier list, and `patient_searched`,
    /// the text that list was for (a changed text is searched again).
    package let typed: String
    package let outcome: Outcome

    package init(form: FormBody, numbering: PhoneNumbering, _ db: Database) throws {
        typed = form["patient"]?.trimmingSpaces ?? ""
        outcome = try Self.choose(typed: typed, chosen: form["patient_searched"] == typed ? form["patient_id"] : nil, numbering: numbering, db)
    }

    /// A box showing `typed` with nothing decided yet (a new form).
    package init(typed: String) {
        self.init(typed: typed, outcome: .problem(""))
    }

    private init(typed: String, outcome: Outcome) {
        self.typed = typed
        self.outcome = outcome
    }

    /// A new form opened for the patient whose number is `typed` (a chart's *Book* or *Prescribe*): that patient is
    /// chosen and shown by name; any other text is only shown, as typed.
    package static func opened(for typed: String, _ db: Database) throws -> PatientPicker {
        guard !typed.isEmpty, let match = try matches(db, byNumber, [typed]).first else { return PatientPicker(typed: typed) }
        return PatientPicker(typed: typed, outcome: .patient(match))
    }

    /// A patient by number; a merged record's number leads to the record it was merged into.
    private static let byNumber = "patients.id = (SELECT coalesce(merged_into, id) FROM patients WHERE number = ? COLLATE NOCASE)"

    package var patient: Match? {
        if case .patient(let match) = outcome { match } else { nil }
    }

    /// What was typed finds nobody (or nothing was typed): the form goes back as `422`. A list to choose from is
    /// no error.
    package var problem: String? {
        if case .problem(let text) = outcome, !text.isEmpty { text } else { nil }
    }

    package static func choose(typed: String, chosen: String?, numbering: PhoneNumbering, _ db: Database) throws -> Outcome {
        if let chosen = chosen.flatMap({ Int64($0) }), let match = try matches(db, "patients.id = ?", [chosen]).first { return .patient(match) }
        guard !typed.isEmpty else { return .problem("type the patient's name, phone or number") }
        if let match = try matches(db, byNumber, [typed]).first { return .patient(match) }
        let search = PatientSearch.conditions(typed, numbering: numbering)
        let found = try matches(db, "patients.active = 1 AND " + search.predicate, search.arguments)
        guard !found.isEmpty else { return .problem("no patient matches “\(typed)”; check the spelling, or register the patient first") }
        return .choices(Array(found.prefix(limit)), more: found.count > limit)
    }

    private static func matches(_ db: Database, _ condition: String, _ arguments: StatementArguments) throws -> [Match] {
        try Row.fetchAll(
            db,
            sql:
                "SELECT id, number, first_name, last_name, date_of_birth, phone FROM patients WHERE \(condition) ORDER BY sort_name, id LIMIT \(limit + 1)",
            arguments: arguments
        ).map { row in
            let born = (row["date_of_birth"] as String?).flatMap(CalendarDate.init).map { "born " + ReadableTime.day($0) }
            return Match(
                id: row["id"],
                number: row["number"],
                name: "\(row["first_name"] as String) \(row["last_name"] as String)",
                detail: ([row["number"] as String, born, row["phone"] as String?].compactMap { $0 }).joined(separator: " · ")
            )
        }
    }

    /// The form's message when no patient is decided yet, or nil.
    package var message: String? {
        switch outcome {
        case .patient: nil
        case .choices(let found, _):
            found.count == 1
                ? "Is this the patient? Choose them, then send the form again."
                : "\(found.count) patients match “\(typed)”: choose one, then send the form again."
        case .problem(let text): text.isEmpty ? nil : "Choose the patient first."
        }
    }

    /// The `partials/patient-picker` field.
    package var field: Field { Field(picker: self) }

    package struct Field: TemplateValues, Sendable {
        package let picker: PatientPicker

        package static let templateNames: TemplateNames<Field> = [
            "typed": { $0.picker.typed },
            "error": { $0.picker.problem },
            "hasChoices": { if case .choices = $0.picker.outcome { true } else { false } },
            "more": { if case .choices(_, let more) = $0.picker.outcome { more } else { false } },
            "choices": { field in
                guard case .choices(let found, _) = field.picker.outcome else { return nil }
                return found.map {
                    ["id": String($0.id), "name": $0.name, "detail": $0.detail, "number": $0.number, "checked": found.count == 1] as [String: Any]
                }
            },
            "chosen": { $0.picker.patient.map { ["id": String($0.id), "name": $0.name, "detail": $0.detail] as [String: Any] } },
        ]
    }
}
