import ClinicBoxCore
import GRDB

extension PermissionAction {
    /// Merging a duplicate record into the patient's own: clinicians (who know the person) and admins.
    package static let patientsMerge = PermissionAction("patients.merge", doing: "merge patient records")
}

/// One person registered twice becomes one record again. Every record of the duplicate — visits, allergies,
/// problems, appointments, prescriptions, documents, sales and whatever a later module files under `patient_id` —
/// moves to the kept patient in one transaction; allergies are combined, never dropped. The duplicate stays as a
/// tombstone pointing to the kept record (its number leads there), never deleted, and `patient_merges` says who
/// merged it, when and why. Append-only records (signed visits, filed documents) move by the one change their
/// triggers allow: their patient, from a merged record to the one it was merged into, nothing else.
package enum PatientMerge {
    package struct Merge: Sendable {
        package var number: String
        package var name: String
        package var reason: String
        package var by: String
        package var at: String
    }

    /// The longest reason kept.
    package static let reasonLimit = 500

    package static let step = TenantSchema.Step(id: "patients.v10") { db, _ in
        try db.execute(
            sql: """
                ALTER TABLE patients ADD COLUMN merged_into INTEGER REFERENCES patients (id);
                CREATE TABLE patient_merges (
                    merged_id INTEGER PRIMARY KEY REFERENCES patients (id),
                    kept_id INTEGER NOT NULL REFERENCES patients (id),
                    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
                    merged_by INTEGER,
                    merged_by_name TEXT NOT NULL,
                    merged_at TEXT NOT NULL,
                    CHECK (merged_id != kept_id)
                ) STRICT;
                CREATE INDEX patient_merges_by_kept ON patient_merges (kept_id);
                CREATE TRIGGER patient_merges_never_change BEFORE UPDATE ON patient_merges
                    BEGIN SELECT RAISE(ABORT, 'a merge is never changed'); END;
                CREATE TRIGGER patient_merges_never_removed BEFORE DELETE ON patient_merges
                    BEGIN SELECT RAISE(ABORT, 'a merge is never removed'); END;
                CREATE TRIGGER patients_merged_are_final BEFORE UPDATE ON patients WHEN OLD.merged_into IS NOT NULL
                    BEGIN SELECT RAISE(ABORT, 'a merged patient record is never changed; change the record it was merged into'); END;
                DROP TRIGGER patient_documents_never_change;
                CREATE TRIGGER patient_documents_never_change BEFORE UPDATE ON patient_documents
                    WHEN NOT \(try movedByMerge(db, table: "patient_documents"))
                    BEGIN SELECT RAISE(ABORT, 'a filed document is never changed'); END;
                """
        )
    }

    /// The condition under which an append-only row of `table` may change: only its `patient_id`, and only from a
    /// merged patient to the one it was merged into (recorded in `patient_merges` first, in the same transaction).
    /// Every other column is compared, so nothing else can ride along.
    package static func movedByMerge(_ db: Database, table: String) throws -> String {
        let others = try db.columns(in: table).map(\.name).filter { $0 != "patient_id" }
        return "(NEW.patient_id IS NOT OLD.patient_id AND NEW.patient_id IS (SELECT kept_id FROM patient_merges WHERE merged_id = OLD.patient_id)"
            + others.map { " AND NEW.\($0) IS OLD.\($0)" }.joined() + ")"
    }

    /// Tables whose rows belong to a patient by `patient_id` but are not the patient's records to move: the name
    /// index stays with the tombstone's own name.
    private static let staying: Set<String> = ["patients", "patient_merges", "patient_name_words"]

    /// Every table of the tenant's file that files rows under a patient (`patient_id`), whichever module made it.
    package static func recordTables(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").filter {
            table in
            try !staying.contains(table) && db.columns(in: table).contains { $0.name == "patient_id" }
        }
    }

    /// Merges `duplicate` into `kept` and returns how many rows moved, by table. The caller checked `patients.merge`.
    package static func merge(
        _ db: Database,
        duplicate: Int64,
        into kept: Int64,
        reason: String,
        by user: AuthenticatedUser,
        actor: AuditActor
    ) throws -> [String: Int] {
        let merged = try PatientRecords.changes.current(db, id: duplicate)
        let keeper = try PatientRecords.changes.current(db, id: kept)
        guard duplicate != kept else { throw Problem.invalid("duplicate_id", "is this patient; name the other record") }
        for row in [merged, keeper] where row["merged_into"] as Int64? != nil {
            throw Problem(.conflict, title: "Already merged", detail: "\(row["number"] as String) was already merged into another record.")
        }
        let name = try user.nameAsRecorded(db)
        try db.execute(
            sql: "INSERT INTO patient_merges (merged_id, kept_id, reason, merged_by, merged_by_name, merged_at) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [duplicate, kept, reason, user.id, name, Timestamp.now]
        )
        var moved: [String: Int] = [:]
        for table in try recordTables(db) {
            try db.execute(sql: "UPDATE \(table) SET patient_id = ? WHERE patient_id = ?", arguments: [kept, duplicate])
            if db.changesCount > 0 { moved[table] = db.changesCount }
        }
        // "No known allergies" said of the duplicate is still something someone asked: kept where the kept record has
        // no answer of its own. (Active allergies moved with the rows and take precedence.)
        if keeper["no_known_allergies_at"] as String? == nil, let at = merged["no_known_allergies_at"] as String? {
            try db.execute(
                sql: "UPDATE patients SET no_known_allergies_at = ?, no_known_allergies_by = ? WHERE id = ?",
                arguments: [at, merged["no_known_allergies_by"] as String?, kept]
            )
        }
        // The tombstone: inactive, its API answer refreshed while it may still change, then pointed at the kept record.
        try db.execute(
            sql: "UPDATE patients SET active = 0, version = version + 1, updated_at = ? WHERE id = ?",
            arguments: [Timestamp.now, duplicate]
        )
        try db.execute(sql: "UPDATE patients SET api_json = \(PatientJSON.object) WHERE id = ?", arguments: [duplicate])
        try db.execute(sql: "UPDATE patients SET merged_into = ? WHERE id = ?", arguments: [kept, duplicate])
        let summary = moved.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
        for (entity, other, action) in [
            (duplicate, keeper["number"] as String, "patients.merged_into"), (kept, merged["number"] as String, "patients.merged_from"),
        ] {
            try AuditLog.record(
                db,
                actor: actor,
                action: action,
                entityType: "patient",
                entityID: String(entity),
                changes: [
                    "record": .init(before: nil, after: other), "reason": .init(before: nil, after: reason),
                    "moved": .init(before: nil, after: summary.isEmpty ? "nothing" : summary),
                ]
            )
        }
        return moved
    }

    /// The records merged into `patient`, oldest merge first.
    package static func mergedInto(_ db: Database, patient: Int64) throws -> [Merge] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT p.number, p.first_name, p.last_name, m.reason, m.merged_by_name, m.merged_at FROM patient_merges m JOIN patients p ON p.id = m.merged_id
                    WHERE m.kept_id = ? ORDER BY m.merged_at
                    """
            ),
            arguments: [patient]
        ).map {
            Merge(
                number: $0["number"],
                name: "\($0["first_name"] as String) \($0["last_name"] as String)",
                reason: $0["reason"],
                by: $0["merged_by_name"],
                at: $0["merged_at"]
            )
        }
    }

    /// What a merge of `duplicate` would move, by table, for the confirmation a page asks first.
    package static func preview(_ db: Database, duplicate: Int64) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in try recordTables(db) {
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table) WHERE patient_id = ?", arguments: [duplicate]) ?? 0
            if count > 0 { counts[table] = count }
        }
        return counts
    }
}
