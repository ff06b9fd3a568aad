import GRDB
import Mustache

/// One audit row as people read it: when, in the tenant's time; a sentence saying who did what to which record
/// ("Lena Fischer checked in Hans Müller (P-000001) for 1 Dec 2026, 10:30"), the record linked to its page;
/// and the changes in words. The codes stay beside it for the CSV.
package struct AuditEntry: Sendable, TemplateValues {
    package var id: Int64
    package var at: String
    /// `at` in ISO 8601 with the tenant's offset, for the CSV.
    package var isoAt: String
    /// The sentence up to the record's name: "Lena Fischer checked in ".
    package var lead: String
    package var record: String?
    package var href: String?
    /// The sentence after the record's name.
    package var tail: String
    package var changes: String
    package var action: String
    package var email: String?
    /// `appointment 7`, as the log stores it.
    package var recordCode: String

    package var sentence: String { lead + (record ?? "") + tail }

    package static let templateNames: TemplateNames<AuditEntry> = [
        "at": { $0.at },
        "lead": { $0.lead },
        "record": { $0.record },
        "href": { $0.href },
        "tail": { $0.tail },
        "changes": { $0.changes },
    ]

    /// The `audit_log` columns `read` needs.
    package static let columns = "id, at, user_id, user_email, client_address, action, entity_type, entity_id, changes"

    /// `rows` (selected with `columns`) as entries. The names of the users and records they mention are read with
    /// one query for the users and one per kind of record, however many rows there are. Without `changes` (the
    /// dashboard shows only the sentences) the changes are read only where a verb depends on them.
    /// `forCSV` keeps what a page shortens (file digests).
    package static func read(
        _ db: Database,
        _ rows: [Row],
        tenant: Tenant,
        basePath: String,
        changes withChanges: Bool = true,
        forCSV: Bool = false
    ) throws -> [AuditEntry] {
        let wording = tenant.auditWording
        let parsed = rows.map { row in
            let kind = wording.kind(row["entity_type"])
            let changes = withChanges || kind?.verbForChanges != nil ? AuditChanges(json: row["changes"]) : AuditChanges(json: nil)
            return (row: row, changes: changes, kind: kind)
        }

        var userIDs = Set<Int64>()
        var recordIDs: [String: Set<String>] = [:]
        for (row, changes, kind) in parsed {
            if let id = row["user_id"] as Int64? { userIDs.insert(id) }
            for field in withChanges ? kind?.userFields ?? [] : [] {
                for value in [changes.before(field), changes.after(field)] { if let id = value.flatMap({ Int64($0) }) { userIDs.insert(id) } }
            }
            if let kind, kind.names != nil, let id = row["entity_id"] as String? { recordIDs[kind.type, default: []].insert(id) }
        }
        var userNames: [Int64: String] = [:]
        if !userIDs.isEmpty {
            let sql = "SELECT id, display_name FROM users WHERE id IN (SELECT value FROM json_each(?))"
            for row in try db.fetchAllCached(sql, [AuditRecordKind.jsonArray(userIDs)]) { userNames[row["id"]] = row["display_name"] }
        }
        var names: [String: [String: AuditRecordName]] = [:]
        for (type, ids) in recordIDs {
            names[type] = try wording.kind(type)?.names?(db, Array(ids), tenant)
        }

        let time = tenant.readableTime
        return parsed.map { row, changes, kind in
            let (type, entityID, action) = (row["entity_type"] as String?, row["entity_id"] as String?, row["action"] as String)
            let actor =
                (row["user_id"] as Int64?).flatMap { userNames[$0] }
                ?? AuditWording.actor(email: row["user_email"], clientAddress: row["client_address"])
            let recordCode = [type?.replacingOccurrences(of: "_", with: " "), entityID].compactMap { $0 }.joined(separator: " ")
            let verb = wording.verb(action: action, type: type, changes: changes)
            var entry = AuditEntry(
                id: row["id"],
                at: time.moment(row["at"]),
                isoAt: withChanges ? time.iso(row["at"]) : "",
                lead: "\(actor) \(verb)",
                tail: "",
                changes: withChanges ? changes.text(.init(tenant: tenant, kind: kind, userNames: userNames, wholeDigests: forCSV)) : "",
                action: action,
                email: row["user_email"],
                recordCode: recordCode
            )
            if let placeholder = verb.firstRange(of: "{}") {
                let name = entityID.flatMap { type.flatMap { names[$0] }?[$0] }
                entry.lead = "\(actor) \(verb[..<placeholder.lowerBound])"
                entry.tail = String(verb[placeholder.upperBound...])
                entry.record = name?.text ?? (recordCode.isEmpty ? "a record" : recordCode)
                entry.href = name?.path.map { basePath + $0 }
            }
            return entry
        }
    }
}
