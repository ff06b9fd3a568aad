import ClinicBoxCore
import GRDB

/// How a patient reads in the API, kept ready in the `api_json` column.
///
/// SQLite builds the JSON when a patient is written (`RecordChanges.storedJSON`), not each time it is read:
/// building 50 objects was a third of a list request, and patients are read far more often than written. A trigger
/// would be the tidier place, but tenant connections run with `trusted_schema` off (a database file from elsewhere
/// must not run functions), and SQLite then refuses JSON functions inside the schema.
package enum PatientJSON {
    package static let object = object(fields: PatientForm.fields)

    package static func object(fields: RecordFields) -> String {
        "json_object('id', patients.id, 'number', patients.number, \(fields.jsonPairs(table: "patients")), "
            + "'version', patients.version, 'created_at', patients.created_at, 'updated_at', patients.updated_at)"
    }

    /// A migration step that fills `api_json` (adding the column if needed) from the current `object`. When the
    /// API shape of a patient changes, append another such step; shipped steps stay as they are.
    package static func refresh(stepID: String) -> TenantSchema.Step {
        TenantSchema.Step(id: stepID) { db, _ in
            if try !db.columns(in: "patients").contains(where: { $0.name == "api_json" }) {
                try db.execute(sql: "ALTER TABLE patients ADD COLUMN api_json TEXT")
            }
            // Built from the fields whose columns exist when the step runs: on a new database the early steps run before
            // later ones add columns (`source_number`), and each later shape has a step of its own.
            let columns = Set(try db.columns(in: "patients").map(\.name))
            try db.execute(
                sql: "UPDATE patients SET api_json = \(object(fields: RecordFields(PatientForm.fields.all.filter { columns.contains($0.name) })))"
            )
        }
    }

    /// One patient as JSON text, or a `404`.
    package static func fetch(_ db: Database, id: Int64) throws -> String {
        guard let json = try db.fetchCached(String.self, "SELECT api_json FROM patients WHERE id = ?", [id]) else {
            throw RecordChanges.notFound("patient")
        }
        return json
    }
}
