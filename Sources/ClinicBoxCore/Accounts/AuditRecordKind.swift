import GRDB

/// One kind of record the audit log names (`audit_log.entity_type`, e.g. `appointment`), declared by the module
/// that owns it: what the audit page calls it, what each action did in words, and how one record is named and
/// linked. "Lena Fischer checked in Hans Müller for 1 Dec 2026, 10:30" is an actor, a verb and a record's name.
package struct AuditRecordKind: Sendable {
    package typealias Names = @Sendable (_ db: Database, _ ids: [String], _ tenant: Tenant) throws -> [String: AuditRecordName]
    package typealias Verb = @Sendable (_ action: String, _ changes: AuditChanges) -> String?
    package typealias Finder = @Sendable (_ db: Database, _ number: String) throws -> Int64?

    /// `appointment`, as the log stores it.
    package let type: String
    /// `Appointments`, in the audit page's filter.
    package let label: String
    /// What each action did, by action code; `{}` marks where the record's name goes (`booked {}`).
    package let verbs: [String: String]
    /// A closer verb from what an entry changed (`checked in {}` for a status change); nil keeps `verbs`.
    package var verbForChanges: Verb? = nil
    /// Fields that hold amounts in minor units, shown as money.
    package var moneyFields: Set<String> = []
    /// Fields that hold 1 or 0 for yes or no.
    package var flagFields: Set<String> = []
    /// Fields that hold a user's id, shown as the user's name (`practitioner_id` → "practitioner").
    package var userFields: Set<String> = []
    /// Names the records of `ids` in one query, for a whole page of entries; nil for records without names.
    package var names: Names? = nil
    /// For the record people look up by the number they read on it (a patient's `P-000001`): what the audit page's
    /// filter calls that number, and how to find the record's id from it.
    package var findByNumber: (label: String, find: Finder)? = nil

    /// `names` as one `SELECT` of `id` and the columns `name` reads, `FROM` (and `JOIN`s) `from`, keyed by
    /// `idColumn`; `path` is the record's page below the tenant's base path.
    package static func names(
        select columns: String,
        from: String,
        idColumn: String,
        name: @escaping @Sendable (Row, Tenant) -> String,
        path: @escaping @Sendable (Row) -> String?
    ) -> Names {
        { db, ids, tenant in
            // One statement for any number of ids (a JSON array), so it is prepared once per connection.
            let sql = "SELECT \(idColumn) AS audit_id, \(columns) FROM \(from) WHERE \(idColumn) IN (SELECT value FROM json_each(?))"
            var found: [String: AuditRecordName] = [:]
            for row in try db.fetchAllCached(sql, [AuditRecordKind.jsonArray(ids.compactMap { Int64($0) })]) {
                found[String(row["audit_id"] as Int64)] = AuditRecordName(text: name(row, tenant), path: path(row))
            }
            return found
        }
    }

    package init(
        type: String,
        label: String,
        verbs: [String: String],
        verbForChanges: Verb? = nil,
        moneyFields: Set<String> = [],
        flagFields: Set<String> = [],
        userFields: Set<String> = [],
        names: Names? = nil,
        findByNumber: (label: String, find: Finder)? = nil
    ) {
        self.type = type
        self.label = label
        self.verbs = verbs
        self.verbForChanges = verbForChanges
        self.moneyFields = moneyFields
        self.flagFields = flagFields
        self.userFields = userFields
        self.names = names
        self.findByNumber = findByNumber
    }
}

extension AuditRecordKind {
    /// `[3,7,12]`, the argument of an `IN (SELECT value FROM json_each(?))`.
    package static func jsonArray(_ ids: some Sequence<Int64>) -> String {
        "[" + ids.map(String.init).joined(separator: ",") + "]"
    }
}

/// A record as a sentence names it, and its page (below the tenant's base path) when it has one.
package struct AuditRecordName: Sendable {
    package var text: String
    package var path: String?
}
