import ClinicBoxCore
import GRDB
import Patients

/// A patient's problem list (conditions): what is wrong with them, coded in ICD-10 where the clinician knows the
/// code, until it is resolved. Resolved problems stay on the list.
package enum PatientProblems {
    package static let statuses = ["active", "resolved"]

    package static let fields = RecordFields([
        .text("description", "Problem", maxLength: 500, required: true),
        .text("icd10_code", "ICD-10 code", maxLength: 10),
        .date("onset", "Onset"),
        .choice("status", "Status", statuses),
        .date("noted_on", "Noted on, if earlier (from the paper history)"),
    ])

    package static let changes = RecordChanges(table: "patient_problems", entity: "problem")

    /// The alias `object` reads the table by.
    package static let alias = "c"

    package static let object = """
        json_object('id', c.id, 'patient_id', c.patient_id, 'description', c.description, 'icd10_code', c.icd10_code, 'onset', c.onset,
            'status', c.status, 'noted_on', c.noted_on, 'recorded_by', c.recorded_by_name, 'recorded_at', c.created_at, 'version', c.version, 'updated_at', c.updated_at)
        """

    package static func create(_ db: Database, _ request: inout RequestFields, _ writer: FactWriter) throws -> Int64 {
        try PatientFiling.requireInPath(db, patient: writer.patient)
        var values = fields.initialValues
        apply(&request, to: &values, today: writer.today)
        if values.text("status") == nil { values["status"] = "active".databaseValue }
        try request.finish()
        return try writer.insert(db, values, into: changes, action: "patients.problem_recorded")
    }

    package static func update(_ db: Database, id: Int64, version: Int64, _ request: inout RequestFields, _ writer: FactWriter) throws {
        let (patient, today, actor) = (writer.patient, writer.today, writer.actor)
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM patient_problems WHERE id = ? AND patient_id = ?", arguments: [id, patient]) else {
            throw RecordChanges.notFound("problem")
        }
        var values = fields.values(of: row)
        apply(&request, to: &values, today: today)
        if values.text("status") == nil { request.fail("status", "cannot be empty") }
        try request.finish()
        try changes.update(db, id: id, version: version, values.columns, actor: actor, action: "patients.problem_changed")
    }

    private static func apply(_ request: inout RequestFields, to values: inout RecordValues, today: CalendarDate) {
        fields.apply(&request, to: &values)
        if request.has("icd10_code"), let code = values.text("icd10_code") {
            if let normalized = ICD10.normalized(code) {
                values["icd10_code"] = normalized.databaseValue
            } else {
                request.fail("icd10_code", ICD10.shapeMessage)
            }
        }
        if request.has("onset"), let onset = values.text("onset").flatMap(CalendarDate.init), onset > today {
            request.fail("onset", "must not be in the future")
        }
        ClinicalFacts.checkNotedOn(values, &request, today: today)
    }

    /// Every problem of `patient`, active ones first, newest first.
    package static func json(_ db: Database, patient: Int64) throws -> String {
        try PatientAllergies.requirePatient(db, patient)
        return try String.fetchOne(
            db,
            sql:
                "SELECT json_object('items', json((SELECT json_group_array(json(item)) FROM (SELECT \(object) AS item FROM patient_problems c WHERE c.patient_id = ? ORDER BY c.status != 'active', c.id DESC))))",
            arguments: [patient]
        ) ?? "{}"
    }

}

/// The shape of an ICD-10 code: a letter, two characters (digits, or a letter in the third place as ICD-10-CM
/// writes `C4A`), then optionally a dot and one to four more. The shape only: the code list is not shipped.
package enum ICD10 {
    package static let shapeMessage = "must be an ICD-10 code like J45.9: a letter, two digits, then optionally a dot and up to 4 more"

    /// The code in capitals, or nil when it is not the shape of one. `J459` is accepted as `J45.9`.
    package static func normalized(_ text: String) -> String? {
        var code = text.uppercased()
        if !code.contains("."), code.count > 3 { code.insert(".", at: code.index(code.startIndex, offsetBy: 3)) }
        let parts = code.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let head = parts.first, head.count == 3 else { return nil }
        let chars = Array(head)
        guard chars[0].isASCIILetter, chars[1].isASCIIDigit, chars[2].isASCIIDigit || chars[2].isASCIILetter else { return nil }
        if parts.count == 2 {
            let tail = parts[1]
            guard (1...4).contains(tail.count), tail.allSatisfy({ $0.isASCIIDigit || $0.isASCIILetter }) else { return nil }
        }
        return code
    }
}
