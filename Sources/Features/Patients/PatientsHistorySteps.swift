import ClinicBoxCore
import GRDB

/// The steps that made the tables of the clinical record (allergies, problems) and of documents, shipped while those
/// were still inside this module. A shipped step is never edited, renumbered or reordered (the merge step, v10,
/// rewrites a documents trigger), so they stay here under their `patients.vN` ids and run whenever patients does;
/// the `clinical` and `documents` modules own the tables' code, and their new steps take their own namespaces.
///
/// Documents live in the tenant's own SQLite file, so a tenant stays two files and every backup, export and import
/// carries them unchanged. What a document is (`patient_documents`) is kept apart from its bytes
/// (`patient_document_contents`), so lists and the chart never read a blob. Both are append-only: a scan that was
/// filed is evidence, and the triggers refuse to change or remove it.
package enum PatientsHistorySteps {
    /// Who the migrated entries name as their recorder: nobody chose a severity, so they say where they came from.
    package static let allergiesMovedBy = "Moved from the old free-text Allergies field"

    /// The tables of a patient's structured clinical facts: allergies (with "no known allergies" as a recorded state
    /// on the patient) and problems. The step also turns each old free-text `allergies` value into one allergy entry,
    /// so nothing typed before is lost; the old column stays, unread, because a shipped table is never rewritten.
    package static let clinicalTables = TenantSchema.Step(id: "patients.v5") { db, _ in
        try db.execute(
            sql: """
                CREATE TABLE patient_allergies (
                    id INTEGER PRIMARY KEY,
                    patient_id INTEGER NOT NULL REFERENCES patients (id),
                    substance TEXT NOT NULL,
                    reaction TEXT,
                    severity TEXT NOT NULL CHECK (severity IN ('mild', 'moderate', 'severe', 'unknown')),
                    status TEXT NOT NULL CHECK (status IN ('active', 'inactive', 'entered_in_error')),
                    \(recordedColumns)
                CREATE INDEX patient_allergies_by_patient ON patient_allergies (patient_id, status);
                CREATE TABLE patient_problems (
                    id INTEGER PRIMARY KEY,
                    patient_id INTEGER NOT NULL REFERENCES patients (id),
                    description TEXT NOT NULL,
                    icd10_code TEXT,
                    onset TEXT,
                    status TEXT NOT NULL CHECK (status IN ('active', 'resolved')),
                    \(recordedColumns)
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
            arguments: [allergiesMovedBy]
        )
    }

    /// The columns both fact tables end with, as shipped (whitespace included: the text is the step's SQL).
    private static let recordedColumns = [
        "recorded_by INTEGER,", "    recorded_by_name TEXT NOT NULL,", "    version INTEGER NOT NULL,", "    created_at TEXT NOT NULL,",
        "    updated_at TEXT NOT NULL", ") STRICT;",
    ].joined(separator: "\n")

    /// An allergy or problem brought in from the paper history keeps the day it was noted; shown as entered later,
    /// beside who entered it and when.
    package static let clinicalNotedOn = TenantSchema.Step(id: "patients.v11") { db, _ in
        try db.execute(sql: "ALTER TABLE patient_allergies ADD COLUMN noted_on TEXT; ALTER TABLE patient_problems ADD COLUMN noted_on TEXT")
    }

    package static let documentTables = TenantSchema.Step(id: "patients.v7") { db, _ in try db.execute(sql: documentTablesSQL) }

    /// The SQL of `documentTables`, as shipped.
    private static let documentTablesSQL = """
        CREATE TABLE patient_documents (
            id INTEGER PRIMARY KEY,
            patient_id INTEGER NOT NULL REFERENCES patients (id),
            visit_id INTEGER,
            title TEXT NOT NULL,
            media_type TEXT NOT NULL CHECK (media_type IN ('application/pdf', 'image/jpeg', 'image/png', 'image/webp')),
            byte_count INTEGER NOT NULL CHECK (byte_count > 0),
            sha256 TEXT NOT NULL,
            file_name TEXT,
            clinical INTEGER NOT NULL CHECK (clinical IN (0, 1)),
            uploaded_by INTEGER,
            uploaded_by_name TEXT NOT NULL,
            created_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX patient_documents_by_patient ON patient_documents (patient_id, created_at);
        CREATE TABLE patient_document_contents (
            document_id INTEGER PRIMARY KEY REFERENCES patient_documents (id),
            bytes BLOB NOT NULL
        ) STRICT;
        CREATE TRIGGER patient_documents_never_change BEFORE UPDATE ON patient_documents
            BEGIN SELECT RAISE(ABORT, 'a filed document is never changed'); END;
        CREATE TRIGGER patient_documents_never_removed BEFORE DELETE ON patient_documents
            BEGIN SELECT RAISE(ABORT, 'a filed document is never removed'); END;
        CREATE TRIGGER patient_document_contents_never_change BEFORE UPDATE ON patient_document_contents
            BEGIN SELECT RAISE(ABORT, 'a filed document is never changed'); END;
        CREATE TRIGGER patient_document_contents_never_removed BEFORE DELETE ON patient_document_contents
            BEGIN SELECT RAISE(ABORT, 'a filed document is never removed'); END;
        """

    package static let documentWithdrawals = TenantSchema.Step(id: "patients.v8") { db, _ in
        try db.execute(
            sql: """
                CREATE TABLE patient_document_withdrawals (
                    document_id INTEGER PRIMARY KEY REFERENCES patient_documents (id),
                    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
                    withdrawn_by INTEGER,
                    withdrawn_by_name TEXT NOT NULL,
                    withdrawn_at TEXT NOT NULL
                ) STRICT;
                CREATE TRIGGER patient_document_withdrawals_never_change BEFORE UPDATE ON patient_document_withdrawals
                    BEGIN SELECT RAISE(ABORT, 'a withdrawal is never changed'); END;
                CREATE TRIGGER patient_document_withdrawals_never_removed BEFORE DELETE ON patient_document_withdrawals
                    BEGIN SELECT RAISE(ABORT, 'a withdrawal is never removed'); END;
                """
        )
    }

    /// A document filed to a visit belongs to the visit's branch, and is shown only to those who see that visit; one
    /// filed to the patient alone (`branch` NULL) to everyone who sees the patient. Filled in for documents filed
    /// before, the one time their append-only trigger is lifted, inside this step's transaction.
    package static let documentBranches = TenantSchema.Step(id: "patients.v9") { db, _ in
        try db.execute(sql: "ALTER TABLE patient_documents ADD COLUMN branch TEXT")
        guard try db.tableExists("visits") else { return }
        try db.execute(
            sql: """
                DROP TRIGGER patient_documents_never_change;
                UPDATE patient_documents SET branch = (SELECT branch FROM visits WHERE visits.id = visit_id) WHERE visit_id IS NOT NULL;
                CREATE TRIGGER patient_documents_never_change BEFORE UPDATE ON patient_documents
                    BEGIN SELECT RAISE(ABORT, 'a filed document is never changed'); END;
                """
        )
    }
}
