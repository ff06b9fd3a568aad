import ClinicBoxCore
import GRDB
import Patients

/// Who opened a patient's chart. Each view of clinical content writes `patients.chart_viewed` (user, patient,
/// what), at most once per user and patient in ten minutes so a busy clinic's trail stays readable; a document
/// download writes the same row every time, naming the document (`PatientDocuments.recordDownload`).
package enum ChartViews {
    package static let action = PatientsModule.chartViewed
    package static let quietMinutes = 10

    /// Records that `actor` saw `what` of `patient`, unless they were recorded for this patient in the last ten minutes.
    /// The check reads first, so most views cost one indexed read and no write.
    /// `seenRecently`: what `seenRecently(_:patient:actor:)` answered in the read that showed the chart, which
    /// saves a second read; nil to check here.
    package static func record(
        _ database: TenantDatabase,
        patient: Int64,
        what: String,
        actor: AuditActor,
        seenRecently known: Bool? = nil
    ) async throws {
        let seen: Bool
        if let known { seen = known } else { seen = try await database.read { db in try seenRecently(db, patient: patient, actor: actor) } }
        if seen { return }
        try await database.write { db in
            guard try !seenRecently(db, patient: patient, actor: actor) else { return }
            try log(db, patient: patient, what: what, actor: actor)
        }
    }

    /// Records this view whatever came before: a view in an emergency (`EmergencyAccess`) is each its own row.
    package static func recordEvery(_ database: TenantDatabase, patient: Int64, what: String, actor: AuditActor) async throws {
        try await database.write { db in try log(db, patient: patient, what: what, actor: actor) }
    }

    /// The same for each of `patients` (a list of visits shows several), in one read and at most one write.
    package static func record(_ database: TenantDatabase, patients: Set<Int64>, what: String, actor: AuditActor) async throws {
        guard !patients.isEmpty else { return }
        let unseen = try await database.read { db in try patients.filter { try !seenRecently(db, patient: $0, actor: actor) } }
        guard !unseen.isEmpty else { return }
        try await database.write { db in
            for patient in unseen.sorted() where try !seenRecently(db, patient: patient, actor: actor) {
                try log(db, patient: patient, what: what, actor: actor)
            }
        }
    }

    /// Records a printout of `patient`'s record every time, like a document download: paper leaves the system.
    package static func recordPrinted(_ database: TenantDatabase, patient: Int64, what: String, actor: AuditActor) async throws {
        try await database.write { db in try log(db, patient: patient, what: what + " printed", actor: actor) }
    }

    private static func log(_ db: Database, patient: Int64, what: String, actor: AuditActor) throws {
        try AuditLog.record(
            db,
            actor: actor,
            action: action,
            entityType: "patient",
            entityID: String(patient),
            changes: ["what": .init(before: nil, after: what)]
        )
    }

    /// True when `actor`'s view of `patient` was recorded in the last ten minutes.
    package static func seenRecently(_ db: Database, patient: Int64, actor: AuditActor) throws -> Bool {
        let query = """
            SELECT 1 FROM audit_log WHERE entity_type = 'patient' AND entity_id = ? AND at >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-\(quietMinutes) minutes')
            AND action = ? AND user_id IS ? LIMIT 1
            """
        return try Bool.fetchOne(db.cachedStatement(sql: query), arguments: [String(patient), action, actor.userID]) != nil
    }

    package struct View: Sendable {
        package var at: String
        package var who: String
        package var role: String?
        package var what: String
    }

    /// The last 50 chart views of `patient`, newest first, each by the viewer's name.
    package static func recent(_ db: Database, patient: Int64) throws -> [View] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT a.at, COALESCE(u.display_name, a.user_email) AS who, a.role, json_extract(a.changes, '$.what.after') AS what
                    FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
                    WHERE a.entity_type = 'patient' AND a.entity_id = ? AND a.action = ? ORDER BY a.at DESC, a.id DESC LIMIT 50
                    """
            ),
            arguments: [String(patient), action]
        ).map { View(at: $0["at"], who: $0["who"] ?? "someone", role: $0["role"], what: $0["what"] ?? "chart") }
    }
}
