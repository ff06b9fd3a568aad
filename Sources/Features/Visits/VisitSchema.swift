import ClinicBoxCore
import GRDB
import Patients
import Prescriptions
import Treatments

/// The tables of visits. A signed visit is final: triggers refuse any change to it, to its diagnoses and to any
/// addendum, so no handler bug can rewrite what a clinician signed. Visits are never deleted.
package enum VisitSchema {
    package static let step = TenantSchema.Step(id: "visits.v1") { db, _ in
        try db.execute(
            sql: """
                CREATE TABLE visits (
                    id INTEGER PRIMARY KEY,
                    number TEXT NOT NULL UNIQUE,
                    patient_id INTEGER NOT NULL REFERENCES patients (id),
                    branch TEXT NOT NULL,
                    practitioner_id INTEGER NOT NULL REFERENCES users (id),
                    practitioner_name TEXT NOT NULL,
                    appointment_id INTEGER UNIQUE,
                    visit_date TEXT NOT NULL,
                    started_at TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('open', 'signed')),
                    subjective TEXT,
                    objective TEXT,
                    assessment TEXT,
                    plan TEXT,
                    systolic INTEGER,
                    diastolic INTEGER,
                    pulse INTEGER,
                    respiratory_rate INTEGER,
                    temperature REAL,
                    spo2 INTEGER,
                    weight REAL,
                    height REAL,
                    glucose REAL,
                    signed_at TEXT,
                    signed_by INTEGER,
                    signed_by_name TEXT,
                    version INTEGER NOT NULL,
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL,
                    CHECK ((status = 'signed') = (signed_at IS NOT NULL))
                ) STRICT;
                CREATE INDEX visits_by_patient ON visits (patient_id, started_at);
                CREATE INDEX visits_by_date ON visits (visit_date, branch);
                CREATE INDEX visits_by_practitioner ON visits (practitioner_id, visit_date);
                CREATE TABLE visit_diagnoses (
                    id INTEGER PRIMARY KEY,
                    visit_id INTEGER NOT NULL REFERENCES visits (id),
                    description TEXT NOT NULL,
                    icd10_code TEXT
                ) STRICT;
                CREATE INDEX visit_diagnoses_by_visit ON visit_diagnoses (visit_id);
                CREATE TABLE visit_addenda (
                    id INTEGER PRIMARY KEY,
                    visit_id INTEGER NOT NULL REFERENCES visits (id),
                    text TEXT NOT NULL,
                    author_id INTEGER NOT NULL,
                    author_name TEXT NOT NULL,
                    created_at TEXT NOT NULL
                ) STRICT;
                CREATE INDEX visit_addenda_by_visit ON visit_addenda (visit_id);
                CREATE TRIGGER visits_signed_are_final BEFORE UPDATE ON visits WHEN OLD.status = 'signed'
                    BEGIN SELECT RAISE(ABORT, 'a signed visit cannot be changed; add an addendum'); END;
                CREATE TRIGGER visits_are_kept BEFORE DELETE ON visits
                    BEGIN SELECT RAISE(ABORT, 'visits are never deleted'); END;
                CREATE TRIGGER visit_diagnoses_added_while_open BEFORE INSERT ON visit_diagnoses
                    WHEN (SELECT status FROM visits WHERE id = NEW.visit_id) = 'signed'
                    BEGIN SELECT RAISE(ABORT, 'a signed visit cannot be changed; add an addendum'); END;
                CREATE TRIGGER visit_diagnoses_changed_while_open BEFORE UPDATE ON visit_diagnoses
                    WHEN (SELECT status FROM visits WHERE id = OLD.visit_id) = 'signed'
                    BEGIN SELECT RAISE(ABORT, 'a signed visit cannot be changed; add an addendum'); END;
                CREATE TRIGGER visit_diagnoses_removed_while_open BEFORE DELETE ON visit_diagnoses
                    WHEN (SELECT status FROM visits WHERE id = OLD.visit_id) = 'signed'
                    BEGIN SELECT RAISE(ABORT, 'a signed visit cannot be changed; add an addendum'); END;
                CREATE TRIGGER visit_addenda_follow_signing BEFORE INSERT ON visit_addenda
                    WHEN (SELECT status FROM visits WHERE id = NEW.visit_id) IS NOT 'signed'
                    BEGIN SELECT RAISE(ABORT, 'addenda follow a signed visit; edit an open one'); END;
                CREATE TRIGGER visit_addenda_are_final BEFORE UPDATE ON visit_addenda
                    BEGIN SELECT RAISE(ABORT, 'addenda are append-only'); END;
                CREATE TRIGGER visit_addenda_are_kept BEFORE DELETE ON visit_addenda
                    BEGIN SELECT RAISE(ABORT, 'addenda are append-only'); END;
                """
        )
    }

    /// A diagnosis moved between visits changes both: the trigger of `visits.v1` checked only the visit it left, so
    /// `UPDATE visit_diagnoses SET visit_id = <a signed visit>` slipped a diagnosis into signed notes. It now checks
    /// the visit it goes to as well. (Addenda and documents refuse every update already.)
    package static let diagnosisOwnerStep = TenantSchema.Step(id: "visits.v2") { db, _ in
        try db.execute(
            sql: """
                DROP TRIGGER visit_diagnoses_changed_while_open;
                CREATE TRIGGER visit_diagnoses_changed_while_open BEFORE UPDATE ON visit_diagnoses
                    WHEN (SELECT status FROM visits WHERE id = OLD.visit_id) = 'signed' OR (SELECT status FROM visits WHERE id = NEW.visit_id) = 'signed'
                    BEGIN SELECT RAISE(ABORT, 'a signed visit cannot be changed; add an addendum'); END;
                """
        )
    }

    /// A signed visit moves to another patient only when a merge moves it (`PatientMerge`): its patient, from the
    /// merged record to the kept one, and nothing else.
    package static let mergeStep = TenantSchema.Step(id: "visits.v3") { db, _ in
        try db.execute(
            sql: """
                DROP TRIGGER visits_signed_are_final;
                CREATE TRIGGER visits_signed_are_final BEFORE UPDATE ON visits WHEN OLD.status = 'signed' AND NOT \(try PatientMerge.movedByMerge(db, table: "visits"))
                    BEGIN SELECT RAISE(ABORT, 'a signed visit cannot be changed; add an addendum'); END;
                """
        )
    }

    /// A visit recorded afterwards from the paper history carries its own past date and is marked entered later;
    /// the merge-aware trigger is made again so it compares the new column too.
    package static let enteredLaterStep = TenantSchema.Step(id: "visits.v4") { db, _ in
        try db.execute(sql: "ALTER TABLE visits ADD COLUMN entered_later INTEGER NOT NULL DEFAULT 0 CHECK (entered_later IN (0, 1))")
        try db.execute(
            sql: """
                DROP TRIGGER visits_signed_are_final;
                CREATE TRIGGER visits_signed_are_final BEFORE UPDATE ON visits WHEN OLD.status = 'signed' AND NOT \(try PatientMerge.movedByMerge(db, table: "visits"))
                    BEGIN SELECT RAISE(ABORT, 'a signed visit cannot be changed; add an addendum'); END;
                """
        )
    }
}
