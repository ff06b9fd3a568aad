import ClinicBoxCore
import GRDB
import Patients

/// A patient's allergies, one entry each, and the recorded state "no known allergies". Every entry is kept: one that
/// was wrong is marked `entered_in_error`, never deleted, so the chart shows what a prescriber was told.
package enum PatientAllergies {
    package static let severities = ["mild", "moderate", "severe", "unknown"]
    package static let statuses = ["active", "inactive", "entered_in_error"]

    package static let fields = RecordFields([
        .substanceName("substance", "Substance", required: true),
        .text("reaction", "Reaction", maxLength: 500),
        .choice("severity", "Severity", severities),
        .choice("status", "Status", statuses),
        .date("noted_on", "Noted on, if earlier (from the paper history)"),
    ])

    package static let changes = RecordChanges(table: "patient_allergies", entity: "allergy")

    /// What the chart says about a patient's allergies.
    package enum State: String, Sendable {
        /// Nobody has asked, or every entry was withdrawn: prescribers must ask.
        case notRecorded = "not_recorded"
        case noKnownAllergies = "no_known_allergies"
        /// At least one active allergy.
        case recorded
    }

    /// The alias `object` reads the table by.
    package static let alias = "a"

    package static let object = """
        json_object('id', a.id, 'patient_id', a.patient_id, 'substance', a.substance, 'reaction', a.reaction, 'severity', a.severity,
            'status', a.status, 'noted_on', a.noted_on, 'recorded_by', a.recorded_by_name, 'recorded_at', a.created_at, 'version', a.version, 'updated_at', a.updated_at)
        """

    /// Records a new allergy for `patient`; it replaces a recorded "no known allergies".
    package static func create(_ db: Database, _ request: inout RequestFields, _ writer: FactWriter) throws -> Int64 {
        let (patient, today, actor) = (writer.patient, writer.today, writer.actor)
        try PatientFiling.requireInPath(db, patient: patient)
        var values = fields.initialValues
        fields.apply(&request, to: &values)
        ClinicalFacts.checkNotedOn(values, &request, today: today)
        if values.text("severity") == nil { values["severity"] = "unknown".databaseValue }
        if values.text("status") == nil { values["status"] = "active".databaseValue }
        try request.finish()
        let id = try writer.insert(db, values, into: changes, action: "patients.allergy_recorded")
        if values.text("status") == "active" { try clearNoKnownAllergies(db, patient: patient, actor: actor) }
        return id
    }

    /// Changes the named fields of allergy `id` of `patient` if it is still at `version`.
    package static func update(_ db: Database, id: Int64, version: Int64, _ request: inout RequestFields, _ writer: FactWriter) throws {
        let (patient, today, actor) = (writer.patient, writer.today, writer.actor)
        let row = try entry(db, patient: patient, id: id)
        var values = fields.values(of: row)
        fields.apply(&request, to: &values)
        ClinicalFacts.checkNotedOn(values, &request, today: today)
        for name in ["severity", "status"] where values.text(name) == nil { request.fail(name, "cannot be empty") }
        try request.finish()
        try changes.update(db, id: id, version: version, values.columns, actor: actor, action: "patients.allergy_changed")
        if values.text("status") == "active" { try clearNoKnownAllergies(db, patient: patient, actor: actor) }
    }

    /// Records "no known allergies" (asked, and the patient has none); refused while an allergy is active.
    package static func recordNone(_ db: Database, patient: Int64, by user: AuthenticatedUser, actor: AuditActor) throws {
        try PatientFiling.requireInPath(db, patient: patient)
        let active = try String.fetchAll(
            db,
            sql: "SELECT substance FROM patient_allergies WHERE patient_id = ? AND status = 'active' ORDER BY id",
            arguments: [patient]
        )
        guard active.isEmpty else {
            throw Problem(
                .conflict,
                title: "Active allergies",
                detail:
                    "This patient has an active allergy to \(active.joined(separator: ", ")). Mark it inactive or entered in error first, if that is what was found."
            )
        }
        let recorder = try user.nameAsRecorded(db)
        try db.execute(
            sql: "UPDATE patients SET no_known_allergies_at = ?, no_known_allergies_by = ? WHERE id = ?",
            arguments: [Timestamp.now, recorder, patient]
        )
        try logNoKnownAllergies(db, patient: patient, recorded: true, actor: actor)
    }

    /// The state, who recorded "no known allergies" and when, and every entry, active ones first: the API's answer.
    package static func json(_ db: Database, patient: Int64) throws -> String {
        try requirePatient(db, patient)
        let sql = """
            SELECT json_object('patient_id', p.id, 'state', \(stateSQL("p")),
                'no_known_allergies_by', p.no_known_allergies_by, 'no_known_allergies_at', p.no_known_allergies_at,
                'items', json((SELECT json_group_array(json(item)) FROM (SELECT \(object) AS item FROM patient_allergies a
                    WHERE a.patient_id = p.id ORDER BY a.status != 'active', a.id DESC))))
            FROM patients p WHERE p.id = ?
            """
        return try String.fetchOne(db, sql: sql, arguments: [patient]) ?? "{}"
    }

    /// The state as SQL over the patients row `p`.
    package static func stateSQL(_ p: String) -> String {
        """
        CASE WHEN EXISTS (SELECT 1 FROM patient_allergies WHERE patient_id = \(p).id AND status = 'active') THEN 'recorded'
            WHEN \(p).no_known_allergies_at IS NOT NULL THEN 'no_known_allergies' ELSE 'not_recorded' END
        """
    }

    private static func entry(_ db: Database, patient: Int64, id: Int64) throws -> Row {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM patient_allergies WHERE id = ? AND patient_id = ?", arguments: [id, patient]) else {
            throw RecordChanges.notFound("allergy")
        }
        return row
    }

    private static func clearNoKnownAllergies(_ db: Database, patient: Int64, actor: AuditActor) throws {
        try db.execute(
            sql: "UPDATE patients SET no_known_allergies_at = NULL, no_known_allergies_by = NULL WHERE id = ? AND no_known_allergies_at IS NOT NULL",
            arguments: [patient]
        )
        if db.changesCount > 0 {
            try logNoKnownAllergies(db, patient: patient, recorded: false, actor: actor)
        }
    }

    /// "No known allergies" recorded (`recorded`) or withdrawn by an allergy, on the patient's record.
    private static func logNoKnownAllergies(_ db: Database, patient: Int64, recorded: Bool, actor: AuditActor) throws {
        try AuditLog.record(
            db,
            actor: actor,
            action: "patients.no_known_allergies",
            entityType: "patient",
            entityID: String(patient),
            changes: ["no_known_allergies": recorded ? .init(before: nil, after: "recorded") : .init(before: "recorded", after: nil)]
        )
    }

    package static func requirePatient(_ db: Database, _ patient: Int64) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM patients WHERE id = ?", arguments: [patient]) != nil else {
            throw RecordChanges.notFound("patient")
        }
    }
}
