import Foundation
import GRDB

extension TenantSchema {
    /// Emergency ("break-glass") access to one chart, and admins' reviews of it; both only ever grow.
    package static let emergencyAccess = TenantSchema(steps: [
        Step(id: "accounts.v9") { db, _ in
            try db.execute(
                sql: """
                    CREATE TABLE emergency_access (
                        id INTEGER PRIMARY KEY,
                        user_id INTEGER NOT NULL REFERENCES users (id),
                        patient_id INTEGER NOT NULL,
                        reason TEXT NOT NULL CHECK (length(reason) BETWEEN 10 AND 500),
                        started_at TEXT NOT NULL,
                        ends_at TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX emergency_access_by_user ON emergency_access (user_id, patient_id, ends_at);
                    CREATE TABLE emergency_access_reviews (
                        access_id INTEGER PRIMARY KEY REFERENCES emergency_access (id),
                        reviewed_by INTEGER NOT NULL REFERENCES users (id),
                        reviewed_at TEXT NOT NULL,
                        note TEXT NOT NULL CHECK (length(note) BETWEEN 1 AND 1000)
                    ) STRICT;
                    CREATE TRIGGER emergency_access_no_update BEFORE UPDATE ON emergency_access
                        BEGIN SELECT RAISE(ABORT, 'emergency access is append-only'); END;
                    CREATE TRIGGER emergency_access_no_delete BEFORE DELETE ON emergency_access
                        BEGIN SELECT RAISE(ABORT, 'emergency access is append-only'); END;
                    CREATE TRIGGER emergency_access_reviews_no_update BEFORE UPDATE ON emergency_access_reviews
                        BEGIN SELECT RAISE(ABORT, 'reviews of emergency access are append-only'); END;
                    CREATE TRIGGER emergency_access_reviews_no_delete BEFORE DELETE ON emergency_access_reviews
                        BEGIN SELECT RAISE(ABORT, 'reviews of emergency access are append-only'); END;
                    """
            )
        }
    ])
}

/// Emergency ("break-glass") access: a user whose role or branches keep part of a chart from them — a doctor
/// covering another branch at night, a nurse at the desk — opens that one patient's whole chart for an hour by
/// saying why. It is audited as its own action, the chart carries a banner while it lasts, every view in it is
/// recorded, and every admin sees it on their dashboard until one of them reviews it with a note. The tenant file's
/// `security.emergency_access` names the roles that may (by default every role below admin).
package enum EmergencyAccess {
    package static let minutes = 60
    package static let opened = "chart.emergency_access"
    package static let reviewed = "chart.emergency_access_reviewed"

    /// A live grant: whose, until when, and why.
    package struct Grant: Sendable, Equatable {
        package var id: Int64
        package var endsAt: String
        package var reason: String
    }

    /// One grant as the admins' dashboard lists it until reviewed.
    package struct Alert: Sendable {
        package var id: Int64
        package var who: String
        package var role: String
        package var patient: Int64
        package var startedAt: String
        package var reason: String
    }

    /// The live grant of `user` to `patient`, if any.
    package static func active(_ db: Database, user: Int64, patient: Int64) throws -> Grant? {
        try Row.fetchOne(
            db.cachedStatement(
                sql: "SELECT id, ends_at, reason FROM emergency_access WHERE user_id = ? AND patient_id = ? AND ends_at > ? ORDER BY id DESC LIMIT 1"
            ),
            arguments: [user, patient, Timestamp.now]
        ).map { Grant(id: $0["id"], endsAt: $0["ends_at"], reason: $0["reason"]) }
    }

    /// Why a reason is refused, in words; nil when it will do.
    package static func problem(reason: String) -> String? {
        let count = reason.trimmingSpaces.count
        if count < 10 { return "say in a few words why you need this chart now (at least 10 characters)" }
        if count > 500 { return "keep the reason under 500 characters" }
        return nil
    }

    /// Opens `patient`'s chart to `user` for an hour, in the caller's transaction, audited.
    package static func open(_ db: Database, user: AuthenticatedUser, patient: Int64, reason: String, actor: AuditActor) throws -> Grant {
        let now = Date()
        let (start, end) = (Timestamp.string(now), Timestamp.string(now.addingTimeInterval(TimeInterval(minutes * 60))))
        let reason = reason.trimmingSpaces
        try db.execute(
            sql: "INSERT INTO emergency_access (user_id, patient_id, reason, started_at, ends_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [user.id, patient, reason, start, end]
        )
        let id = db.lastInsertedRowID
        try AuditLog.record(
            db,
            actor: actor,
            action: opened,
            entityType: "patient",
            entityID: String(patient),
            changes: ["reason": AuditChange(before: nil, after: reason), "until": AuditChange(before: nil, after: end)]
        )
        return Grant(id: id, endsAt: end, reason: reason)
    }

    /// Every grant no admin has reviewed yet, newest first.
    package static func unreviewed(_ db: Database) throws -> [Alert] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT e.id, e.patient_id, e.started_at, e.reason, u.display_name, u.role FROM emergency_access e JOIN users u ON u.id = e.user_id
                WHERE NOT EXISTS (SELECT 1 FROM emergency_access_reviews r WHERE r.access_id = e.id) ORDER BY e.id DESC LIMIT 100
                """
        ).map {
            Alert(
                id: $0["id"],
                who: $0["display_name"],
                role: $0["role"],
                patient: $0["patient_id"],
                startedAt: $0["started_at"],
                reason: $0["reason"]
            )
        }
    }

    /// An admin's review of grant `id`; false when there is no such grant or it was reviewed already.
    package static func review(_ db: Database, id: Int64, note: String, actor: AuditActor) throws -> Bool {
        guard let patient = try Int64.fetchOne(db, sql: "SELECT patient_id FROM emergency_access WHERE id = ?", arguments: [id]),
            try Int.fetchOne(db, sql: "SELECT count(*) FROM emergency_access_reviews WHERE access_id = ?", arguments: [id]) == 0,
            let reviewer = actor.userID
        else { return false }
        try db.execute(
            sql: "INSERT INTO emergency_access_reviews (access_id, reviewed_by, reviewed_at, note) VALUES (?, ?, ?, ?)",
            arguments: [id, reviewer, Timestamp.now, note.trimmingSpaces]
        )
        try AuditLog.record(
            db,
            actor: actor,
            action: reviewed,
            entityType: "patient",
            entityID: String(patient),
            changes: ["note": AuditChange(before: nil, after: note.trimmingSpaces)]
        )
        return true
    }
}

extension ChartReader {
    /// How `user` reads `patient`'s chart: as their role and branches allow, or whole while an emergency access lasts.
    package static func reading(_ patient: Int64, by user: AuthenticatedUser, _ db: Database) throws -> ChartReader {
        var reader = ChartReader(user)
        guard user.scope == nil, let grant = try EmergencyAccess.active(db, user: user.id, patient: patient) else { return reader }
        reader.emergency = grant
        reader.branches = nil
        return reader
    }
}
