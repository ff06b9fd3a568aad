import ClinicBoxCore
import GRDB

/// The tables of a patient's structured clinical facts: allergies (with "no known allergies" as a recorded state on
/// the patient) and problems. The step also turns each old free-text `allergies` value into one allergy entry, so
/// nothing typed before is lost; the old column stays, unread, because a shipped table is never rewritten.
package enum ClinicalSchema {
    /// Who the migrated entries name as their recorder: nobody chose a severity, so they say where they came from.
    package static let migratedBy = "Moved from the old free-text Allergies field"

    package static let step = TenantSchema.Step(id: "patients.v5") { db, _ in
        try db.execute(
            sql: """
                CREATE TABLE patient_allergies (
                    id INTEGER PRIMARY KEY,
                    patient_id INTEGER NOT NULL REFERENCES patients (id),
                    substance TEXT NOT NULL,
                    reaction TEXT,
                    severity TEXT NOT NULL CHECK (severity IN ('mild', 'moderate', 'severe', 'unknown')),
                    status TEXT NOT NULL CHECK (status IN ('active', 'inactive', 'entered_in_error')),
                    recorded_by INTEGER,
                    recorded_by_name TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL
                ) STRICT;
                CREATE INDEX patient_allergies_by_patient ON patient_allergies (patient_id, status);
                CREATE TABLE patient_problems (
                    id INTEGER PRIMARY KEY,
                    patient_id INTEGER NOT NULL REFERENCES patients (id),
                    description TEXT NOT NULL,
                    icd10_code TEXT,
                    onset TEXT,
                    status TEXT NOT NULL CHECK (status IN ('active', 'resolved')),
                    recorded_by INTEGER,
                    recorded_by_name TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL
                ) STRICT;
                CREATE INDEX patient_problems_by_patient ON patient_problems (patient_id, status);
                ALTER TABLE patients ADD COLUMN no_known_allergies_at TEXT;
                ALTER TABLE patients ADD COLUMN no_known_allergies_by TEXT;
                """
        )
        try db.execute(
            sql: """
                INSERT INTO patient_allergies (patient_id, substance, severity, status, recorded_by_name, version, created_at, updated_at)
                SELECT id, trim(allergies), 'unknown', 'active', ?, 1, updated_at, updated_at FROM patients
                WHERE trim(coalesce(allergies, '')) != '' ORDER BY id
                """,
            arguments: [migratedBy]
        )
    }

    /// An allergy or problem brought in from the paper history keeps the day it was noted; shown as entered later,
    /// beside who entered it and when.
    package static let notedOnStep = TenantSchema.Step(id: "patients.v11") { db, _ in
        try db.execute(sql: "ALTER TABLE patient_allergies ADD COLUMN noted_on TEXT; ALTER TABLE patient_problems ADD COLUMN noted_on TEXT")
    }

    /// Refuses a `noted_on` after `today`: a fact brought in from the history was noted before it is entered.
    package static func checkNotedOn(_ values: RecordValues, _ request: inout RequestFields, today: CalendarDate) {
        if request.has("noted_on"), let noted = values.text("noted_on").flatMap(CalendarDate.init), noted > today {
            request.fail("noted_on", "must not be in the future")
        }
    }

    /// "noted 3 Mar 2019, entered later by Dr Amina Njoroge, 7 Dec 2026, 09:12", or who recorded it and when.
    package static func recorded(noted: String?, by name: String, at created: String, time: ReadableTime) -> String {
        guard let noted = noted.flatMap(CalendarDate.init), noted.description < String(created.prefix(10)) else {
            return "\(name), \(time.moment(created))"
        }
        return "noted \(ReadableTime.day(noted)), entered later by \(name), \(time.moment(created))"
    }
}
