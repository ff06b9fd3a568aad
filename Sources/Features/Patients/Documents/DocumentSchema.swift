import ClinicBoxCore
import GRDB

/// Documents live in the tenant's own SQLite file, so a tenant stays two files and every backup, export and
/// import carries them unchanged. What a document is (`patient_documents`) is kept apart from its bytes
/// (`patient_document_contents`), so lists and the chart never read a blob. Both are append-only: a scan that
/// was filed is evidence, and the triggers refuse to change or remove it.
package enum DocumentSchema {
    package static let step = TenantSchema.Step(id: "patients.v7") { db, _ in
        try db.execute(
            sql: """
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
        )
    }

    /// A document filed to a visit belongs to the visit's branch, and is shown only to those who see that visit; one
    /// filed to the patient alone (`branch` NULL) to everyone who sees the patient. Filled in for documents filed
    /// before, the one time their append-only trigger is lifted, inside this step's transaction.
    package static let branchStep = TenantSchema.Step(id: "patients.v9") { db, _ in
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
