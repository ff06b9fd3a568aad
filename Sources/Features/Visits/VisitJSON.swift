import ClinicBoxCore
import GRDB
import Patients
import Prescriptions
import Treatments

/// How a visit reads in the API: its notes, vitals (with the BMI worked out), diagnoses and addenda, built by SQLite.
package enum VisitJSON {
    package static let object = """
        json_object(\(SQLJSON.columns("visits", [
            "id", "number", "patient_id", "branch", "practitioner_id", "practitioner_name", "appointment_id", "visit_date", "started_at", "status",
        ])), \(VisitContent.fields.jsonPairs(table: "visits")),
            \(SQLJSON.columns("visits", ["signed_at", "signed_by_name", "version", "created_at", "updated_at"])),
            'entered_later', \(SQLJSON.bool("visits.entered_later")),
            'bmi', \(Vital.bmiSQL.replacingOccurrences(of: "v.", with: "visits.")),
            'diagnoses', json((SELECT json_group_array(json(d)) FROM (
                SELECT json_object('description', description, 'icd10_code', icd10_code) AS d FROM visit_diagnoses WHERE visit_id = visits.id ORDER BY id))),
            'addenda', json((SELECT json_group_array(json(a)) FROM (
                SELECT json_object('text', text, 'author', author_name, 'at', created_at) AS a FROM visit_addenda WHERE visit_id = visits.id ORDER BY id))))
        """

    package static func fetch(_ db: Database, id: Int64) throws -> String {
        try SQLJSON.fetch(db, object, from: "visits", id: id, entity: "visit")
    }
}
