import ClinicBoxCore
import Foundation
import GRDB
import Patients

/// The check at the point of care: before a prescription is written, dispensed or sold against, the drugs are
/// compared with the patient's active allergies. A match is refused (409) unless the request gives a reason to go
/// ahead; the reason is recorded by the caller and audited here.
package enum AllergyCheck {
    /// A drug as the check reads it: every name it goes by (the prescribed medicine, the product and its generic name).
    package struct Drug: Sendable {
        package var label: String
        package var names: [String]

        package init(label: String, names: [String]) {
            self.label = label
            self.names = names
        }
    }

    /// One active allergy that one drug touches.
    package struct Conflict: Sendable, Equatable {
        package var allergyID: Int64
        package var substance: String
        package var severity: String
        package var reaction: String?
        package var drug: String
        /// Nil for the same substance; otherwise the class the allergy and the drug share ("a penicillin").
        package var sharedClass: String?

        /// "Amoxicillin is a penicillin; Ada Lovelace has a severe allergy to Penicillin (anaphylaxis)." — for the
        /// person at the form, who decides.
        package func plainSentence(patient: String) -> String {
            let kind = severity == "unknown" ? "allergy of unknown severity" : "\(severity) allergy"
            let article = kind.first.map { "aeiou".contains($0) } == true ? "an" : "a"
            let allergy = "\(kind) to \(substance)\(reaction.map { " (\($0))" } ?? "")"
            return sharedClass.map { "\(drug) is \($0); \(patient) has \(article) \(allergy)." } ?? "\(drug) matches \(patient)'s \(allergy)."
        }

        /// "Penicillin (severe allergy, reaction: anaphylaxis): Amoxicillin is a penicillin"
        package var sentence: String {
            let severity = self.severity == "unknown" ? "allergy of unknown severity" : "\(self.severity) allergy"
            let reaction = self.reaction.map { ", reaction: \($0)" } ?? ""
            let why = sharedClass.map { "\(drug) is \($0)" } ?? "\(drug) matches it"
            return "\(substance) (\(severity)\(reaction)): \(why)"
        }
    }

    package static let overrideField = "allergy_override_reason"
    /// The request field that lets a change go ahead despite a matching allergy (otherwise a 409 names the allergy).
    package static let overrideSchema = OpenAPISchema.string(
        nullable: true,
        description: "why to go ahead despite the patient's allergy; without it a match is a 409",
        maxLength: 500
    )

    /// The active allergies of `patient` that any of `drugs` matches, severe ones first.
    package static func conflicts(_ db: Database, patient: Int64, drugs: [Drug]) throws -> [Conflict] {
        guard try db.tableExists("patient_allergies") else { return [] }
        let allergies = try Row.fetchAll(
            db.cachedStatement(
                sql:
                    "SELECT id, substance, severity, reaction FROM patient_allergies WHERE patient_id = ? AND status = 'active' ORDER BY severity != 'severe', id"
            ),
            arguments: [patient]
        )
        var found: [Conflict] = []
        for allergy in allergies {
            let substance: String = allergy["substance"]
            let allergyWords = words(substance)
            let allergyClasses = classes(allergyWords)
            for drug in drugs {
                let drugWords = Set(drug.names.flatMap(words))
                let shared = allergyClasses.intersection(classes(drugWords))
                guard !allergyWords.isDisjoint(with: drugWords) || !shared.isEmpty else { continue }
                let sharedClass = allergyWords.isDisjoint(with: drugWords) ? shared.sorted().first.map { DrugClass.all[$0].member } : nil
                found.append(
                    Conflict(
                        allergyID: allergy["id"],
                        substance: substance,
                        severity: allergy["severity"],
                        reaction: allergy["reaction"],
                        drug: drug.label,
                        sharedClass: sharedClass
                    )
                )
            }
        }
        return found
    }

    /// Refuses the change unless nothing matches or `overrideReason` says why to go ahead; returns what the reason
    /// overrides (empty when nothing matched), for the caller to keep on its record and pass to `recordOverride`.
    /// `mayOverride` is false for someone who may make the change but not decide against an allergy (a cashier
    /// at the till): they are told who may, and a reason from them is refused.
    package static func enforce(
        _ db: Database,
        patient: Int64,
        drugs: [Drug],
        overrideReason: String?,
        decision: Decision = .theirs,
        doing what: String
    ) throws -> [Conflict] {
        let found = try conflicts(db, patient: patient, drugs: drugs)
        guard !found.isEmpty else { return [] }
        let reason = overrideReason.flatMap { $0.isEmpty ? nil : $0 }
        let patientName =
            try Row.fetchOne(db, sql: "SELECT first_name, last_name FROM patients WHERE id = ?", arguments: [patient])
            .map { "\($0["first_name"] as String) \($0["last_name"] as String)" } ?? "The patient"
        guard decision.mayDecide else {
            throw notTheirDecision(found, patient: patientName, whom: try decision.whomToAsk(db), doing: what, reasonGiven: reason != nil)
        }
        guard reason != nil else { throw refusal(found, patient: patientName, doing: what) }
        return found
    }

    /// Audits that `reason` overrode `found` on the record `entity`, in the change's transaction.
    package static func recordOverride(_ db: Database, _ found: [Conflict], reason: String?, actor: AuditActor, entity: String, id: Int64) throws {
        guard !found.isEmpty, let reason else { return }
        try AuditLog.record(
            db,
            actor: actor,
            action: "patients.allergy_override",
            entityType: entity,
            entityID: String(id),
            changes: [
                "allergy": .init(before: nil, after: found.map(\.sentence).joined(separator: "; ")), "reason": .init(before: nil, after: reason),
            ]
        )
    }

    package static func refusal(_ found: [Conflict], patient: String, doing what: String) -> Problem {
        let list = found.map(\.sentence).joined(separator: "; ")
        return Problem(
            .conflict,
            title: "Allergy",
            detail: "The patient has an active allergy to \(list). Nothing was \(what). To go ahead anyway, give the reason in \(overrideField).",
            fieldErrors: [
                overrideField: "is required to go ahead despite the allergy to \(found.map(\.substance).uniqued().joined(separator: ", "))"
            ],
            pageDetail: plain(found, patient: patient) + " Nothing was \(what). To go ahead anyway, write why in the box below."
        )
    }

    /// Each conflict as a sentence for the person at the form.
    private static func plain(_ found: [Conflict], patient: String) -> String {
        found.map { $0.plainSentence(patient: patient) }.uniqued().joined(separator: " ")
    }

    /// Whether the person at the form may go ahead despite an allergy, and if not, which roles of this tenant may:
    /// those who may do the deciding action (the prescriptions module names `prescriptions.dispense`), and admins.
    package struct Decision: Sendable {
        package var mayDecide: Bool
        package var roles: Set<Role>

        package static let theirs = Decision(mayDecide: true, roles: [])

        package init(mayDecide: Bool, roles: Set<Role>) {
            self.mayDecide = mayDecide
            self.roles = roles
        }

        /// Who may do `action` (with the tenant file's grants) decides; admins always may.
        package init(user: AuthenticatedUser, permissions: Permissions, deciding action: PermissionAction) {
            self.init(mayDecide: permissions.allows(user, action), roles: permissions.roles(for: action).union([.admin]))
        }

        /// "Dr Amina Njoroge or Peter Kamau": the active people who may decide, by name (a few), else their roles.
        package func whomToAsk(_ db: Database) throws -> String {
            let names = try String.fetchAll(
                db,
                sql:
                    "SELECT display_name FROM users WHERE active = 1 AND role IN (\(roles.map { "'\($0.rawValue)'" }.sorted().joined(separator: ", "))) ORDER BY display_name LIMIT 6"
            )
            guard !names.isEmpty else { return "someone who may dispense prescriptions" }
            let shown = names.prefix(5)
            return shown.dropLast().joined(separator: ", ") + (shown.count > 1 ? " or " : "") + shown.last!
                + (names.count > 5 ? " (or another who may dispense)" : "")
        }
    }

    private static func notTheirDecision(_ found: [Conflict], patient: String, whom: String, doing what: String, reasonGiven: Bool) -> Problem {
        let ask = "Going ahead despite it is for those who may dispense prescriptions: ask \(whom)."
        let detail = "The patient has an active allergy to \(found.map(\.sentence).joined(separator: "; ")). Nothing was \(what). \(ask)"
        let page = plain(found, patient: patient) + " Nothing was \(what). \(ask)"
        return reasonGiven
            ? Problem(
                .forbidden,
                title: "Allergy",
                detail: detail,
                fieldErrors: [overrideField: "can only be given by those who may dispense prescriptions (\(whom))"],
                pageDetail: page
            )
            : Problem(.conflict, title: "Allergy", detail: detail, pageDetail: page)
    }

    /// Case- and accent-folded words of three letters or more, without the words that say nothing about a substance,
    /// read through `SubstanceName.skeleton` so invisible characters and look-alike letters do not hide a match.
    package static func words(_ text: String) -> Set<String> {
        let folded = SubstanceName.skeleton(text).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        var found = Set(
            folded.split { !($0.isLetter || $0 == "-") }.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "-")) }.filter { $0.count >= 3 }
        )
        // "co-amoxiclav" is one word, and "amoxiclav" the same drug without its prefix.
        for word in found where word.contains("-") { found.formUnion(word.split(separator: "-").map(String.init).filter { $0.count >= 3 }) }
        return found.subtracting(noise)
    }

    private static let noise: Set<String> = [
        "allergy", "allergic", "allergies", "and", "the", "drug", "drugs", "tablet", "tablets", "capsule", "capsules", "syrup", "cream", "oral",
        "injection", "suspension", "sodium", "potassium", "hydrochloride", "unknown", "reaction", "rash", "with", "for", "medicine", "other",
    ]

    /// Indexes into `DrugClass.all` of the classes these words name or belong to.
    private static func classes(_ words: Set<String>) -> Set<Int> {
        Set(DrugClass.all.indices.filter { index in !words.isDisjoint(with: DrugClass.all[index].names.union(DrugClass.all[index].members)) })
    }
}

extension Array where Element: Hashable {
    /// The elements in order, each once.
    package func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}

extension AllergyCheck {
    /// The reason box a page shows under an allergy warning, with what was typed.
    package static func reasonField(_ values: [String: String], error: String?) -> FormField {
        FormField(
            name: overrideField,
            label: "Reason to go ahead despite the allergy",
            kind: .textArea,
            value: values[overrideField] ?? "",
            error: error
        )
    }

    /// The reason typed on a page, or nil when the box was empty or not shown.
    package static func reason(in body: FormBody) -> String? {
        guard let text = body[overrideField]?.trimmingSpaces, !text.isEmpty else { return nil }
        return String(text.prefix(500))
    }

    /// True for the refusal `enforce` throws.
    package static func isRefusal(_ problem: Problem) -> Bool { problem.status == .conflict && problem.fieldErrors[overrideField] != nil }

    /// True for any answer of `enforce`: a refusal with a reason box, or one that says whom to ask.
    package static func isAllergyProblem(_ problem: Problem) -> Bool { problem.title == "Allergy" }

    /// What `partials/warning` shows at the top of a refused form: the sentences in plain words and, for someone who
    /// may decide, the reason box with what was typed.
    package static func warning(_ problem: Problem, values: [String: String]) -> [String: Any] {
        FormWarning.data(problem, reasons: [overrideField: "Reason to go ahead despite the allergy"], values: values)
    }
}
