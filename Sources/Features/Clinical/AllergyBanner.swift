import ClinicBoxCore
import GRDB
import Patients

/// The allergy banner: the patient's active allergies (severe ones first), or that none are known, or that nobody
/// has asked. It stands wherever a decision about medicine is made — the chart, a visit, a prescription being
/// written or dispensed, a sale against a prescription at the till — one look, rendered by
/// `partials/allergy-banner` the same way everywhere.
package struct AllergyBanner: Sendable {
    package struct Allergy: Sendable {
        package var substance: String
        package var severity: String
        package var reaction: String?
    }

    /// Whose allergies, for pages where the patient is not the page's own heading ("Allergies of Ada Lovelace").
    package var patientName: String?
    package var state: PatientAllergies.State
    package var active: [Allergy]
    /// "recorded by Dr Amina Njoroge, 3 Dec 2026 at 09:12", when no known allergies is the recorded state.
    package var noKnownAllergies: String?

    /// The banner of `patient`, read in the caller's transaction.
    package static func read(_ db: Database, patient: Int64, time: ReadableTime, named: Bool = true) throws -> AllergyBanner {
        let row = try PatientRecords.changes.current(db, id: patient)
        let active = try Row.fetchAll(
            db.cachedStatement(
                sql:
                    "SELECT substance, severity, reaction FROM patient_allergies WHERE patient_id = ? AND status = 'active' ORDER BY severity != 'severe', id DESC"
            ),
            arguments: [patient]
        ).map { Allergy(substance: $0["substance"], severity: $0["severity"], reaction: $0["reaction"]) }
        let noneAt: String? = row["no_known_allergies_at"]
        return AllergyBanner(
            patientName: named ? "\(row["first_name"] as String) \(row["last_name"] as String)" : nil,
            state: !active.isEmpty ? .recorded : noneAt != nil ? .noKnownAllergies : .notRecorded,
            active: active,
            noKnownAllergies: noneAt.map { "recorded by \(row["no_known_allergies_by"] as String? ?? "?"), \(time.moment($0))" }
        )
    }

    /// What `partials/allergy-banner` reads.
    package var data: [String: Any] {
        [
            "title": patientName.map { "Allergies of \($0)" } ?? "Allergies",
            "bannerClass": active.contains { $0.severity == "severe" }
                ? "severe" : state == .recorded ? "recorded" : state == .notRecorded ? "unknown" : "none",
            "allergiesRecorded": state == .recorded, "noKnownAllergies": state == .noKnownAllergies, "allergiesNotRecorded": state == .notRecorded,
            "noKnownAllergiesRecorded": noKnownAllergies ?? "",
            "activeAllergies": active.map { allergy -> [String: Any] in
                [
                    "substance": allergy.substance, "reaction": allergy.reaction as Any,
                    "severity": allergy.severity == "unknown" ? "severity unknown" : allergy.severity, "severe": allergy.severity == "severe",
                ]
            },
        ]
    }
}
