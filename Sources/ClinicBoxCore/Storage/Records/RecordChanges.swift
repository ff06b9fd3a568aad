import GRDB

/// Writing one row of a module table: insert, or update guarded by its `version`, each with its audit row in the
/// same transaction. The columns are given as (name, value) pairs so the audit trail records exactly what was written.
package struct RecordChanges {
    /// The table, e.g. `patients`; it has `id`, `version`, `created_at` and `updated_at` columns.
    package let table: String
    /// The audit entity type, e.g. `patient`.
    package let entity: String
    /// For a table that keeps its API JSON in an `api_json` column: the SQL expression that builds it from the row.
    package var storedJSON: String? = nil

    /// Inserts a row and returns its id.
    package func insert(_ db: Database, _ columns: [(String, DatabaseValue)], actor: AuditActor, action: String) throws -> Int64 {
        let now = Timestamp.now
        let names = columns.map(\.0) + ["version", "created_at", "updated_at"]
        let values: [DatabaseValue] = columns.map(\.1) + [1.databaseValue, now.databaseValue, now.databaseValue]
        try db.executeCached(
            "INSERT INTO \(table) (\(names.joined(separator: ", "))) VALUES (\(names.map { _ in "?" }.joined(separator: ", ")))",
            StatementArguments(values)
        )
        let id = db.lastInsertedRowID
        try refreshStoredJSON(db, id: id)
        let changes = Dictionary(
            uniqueKeysWithValues: columns.compactMap { name, value in
                value.isNull ? nil : (name, AuditChange(before: nil, after: Self.text(value)))
            }
        )
        try AuditLog.record(db, actor: actor, action: action, entityType: entity, entityID: String(id), changes: changes)
        return id
    }

    /// The current row, or a `404` that reads the same whether the id never existed or belongs to another tenant.
    package func current(_ db: Database, id: Int64) throws -> Row {
        guard let row = try db.fetchOneCached("SELECT * FROM \(table) WHERE id = ?", [id]) else {
            throw Self.notFound(entity)
        }
        return row
    }

    /// Updates the changed `columns` of row `id` if it is still at `version`: a stale version is a `409` and
    /// nothing is overwritten. Writes only what changed, audits before and after, and bumps the version.
    package func update(
        _ db: Database,
        id: Int64,
        version: Int64,
        _ columns: [(String, DatabaseValue)],
        actor: AuditActor,
        action: String
    ) throws {
        let row = try current(db, id: id)
        guard row["version"] as Int64 == version else { throw Problem.stale(entity, current: row["version"], yours: version) }
        let changed = columns.filter { name, value in row[name] as DatabaseValue != value }
        guard !changed.isEmpty else { return }
        let assignments = (changed.map { "\($0.0) = ?" } + ["version = version + 1", "updated_at = ?"]).joined(separator: ", ")
        try db.execute(
            sql: "UPDATE \(table) SET \(assignments) WHERE id = ? AND version = ?",
            arguments: StatementArguments(changed.map(\.1) + [Timestamp.now.databaseValue, id.databaseValue, version.databaseValue])
        )
        try refreshStoredJSON(db, id: id)
        let changes = Dictionary(
            uniqueKeysWithValues: changed.map { name, value in
                (name, AuditChange(before: Self.text(row[name]), after: Self.text(value)))
            }
        )
        try AuditLog.record(db, actor: actor, action: action, entityType: entity, entityID: String(id), changes: changes)
    }

    private func refreshStoredJSON(_ db: Database, id: Int64) throws {
        guard let storedJSON else { return }
        try db.executeCached("UPDATE \(table) SET api_json = \(storedJSON) WHERE id = ?", [id])
    }

    /// Refuses a row in a branch outside `branches` (nil = every branch) with the same `404` as a missing one,
    /// so a branch-limited user cannot even learn that it exists.
    package func requireVisible(_ db: Database, id: Int64, branches: [String]?) throws {
        guard let branch = try db.fetchCached(String.self, "SELECT branch FROM \(table) WHERE id = ?", [id]), branches?.contains(branch) ?? true
        else {
            throw Self.notFound(entity)
        }
    }

    package static func notFound(_ entity: String) -> Problem {
        Problem(.notFound, title: "Not found", detail: "There is no \(entity) with that id.")
    }

    private static func text(_ value: DatabaseValue) -> String? {
        switch value.storage {
        case .null: nil
        case .int64(let number): String(number)
        case .double(let number): String(number)
        case .string(let text): text
        case .blob(let data): data.base64EncodedString()
        }
    }

    package init(table: String, entity: String, storedJSON: String? = nil) {
        self.table = table
        self.entity = entity
        self.storedJSON = storedJSON
    }
}
