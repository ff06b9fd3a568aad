import Foundation
import GRDB

/// Cookie sessions for pages, kept in the tenant's own database (so a cookie means nothing to another tenant).
/// Only the cookie value's SHA-256 hash is stored. A session ends after 30 idle minutes, after 12 hours in all,
/// at logout, when its user's password changes and when its user is disabled.
public struct Sessions: Sendable {
    public let database: TenantDatabase
    public static let idleLimit: TimeInterval = 30 * 60
    public static let absoluteLimit: TimeInterval = 12 * 3600

    public struct Active: Sendable {
        public var user: AuthenticatedUser
        public var id: Int64
        public var csrfToken: String
    }

    public init(database: TenantDatabase) {
        self.database = database
    }

    /// Starts a session; returns the cookie value (shown once) and the session's CSRF token.
    public func start(for user: AuthenticatedUser, actor: AuditActor) async throws -> (cookie: String, csrfToken: String) {
        let cookie = AccessTokens.randomSecret()
        let csrf = AccessTokens.randomSecret()
        let now = Date()
        try await database.write { db in
            try db.execute(
                sql: "INSERT INTO sessions (session_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [
                    AccessTokens.hash(cookie), user.id, csrf, Timestamp.string(now), Timestamp.string(now),
                    Timestamp.string(now.addingTimeInterval(Self.absoluteLimit)),
                ]
            )
            try AuditLog.record(db, actor: actor, action: "auth.session_started", entityType: "session", entityID: String(db.lastInsertedRowID))
        }
        return (cookie, csrf)
    }

    /// A session as read from the database, with the time its idle clock was last refreshed.
    package struct Found: Sendable {
        package var active: Active
        package var lastSeenAt: String
    }

    /// The live session behind a cookie value, or nil. Refreshes its idle clock at most once a minute.
    public func find(_ cookie: String) async throws -> Active? {
        guard cookie.utf8.count < 100 else { return nil }
        let now = Date()
        let hash = AccessTokens.hash(cookie)
        guard let found = try await lookUp(hash, now: now) else { return nil }
        if found.lastSeenAt < Timestamp.string(now.addingTimeInterval(-60)) {
            try await database.write { db in
                try db.execute(sql: "UPDATE sessions SET last_seen_at = ? WHERE id = ?", arguments: [Timestamp.string(now), found.active.id])
            }
        }
        return found.active
    }

    private func lookUp(_ hash: Data, now: Date) async throws -> Found? {
        let cache = database.signIns.sessions
        if let found = cache.value(for: hash) { return found }
        let generation = cache.generation
        let idleCutoff = now.addingTimeInterval(-Self.idleLimit)
        let read = try await database.readStatement { db -> (found: Found, expiresAt: String)? in
            guard
                let row = try db.fetchOneCached(
                    """
                        SELECT s.id AS session_id, s.csrf_token, s.last_seen_at, s.expires_at, u.id, u.email, u.display_name, u.role, u.branches
                        FROM sessions s JOIN users u ON u.id = s.user_id
                        WHERE s.session_hash = ? AND s.ended_at IS NULL AND s.expires_at > ? AND s.last_seen_at > ? AND u.active = 1
                    """,
                    [hash, Timestamp.string(now), Timestamp.string(idleCutoff)]
                ),
                let user = AuthenticatedUser(row: row)
            else { return nil }
            return (
                Found(active: Active(user: user, id: row["session_id"], csrfToken: row["csrf_token"]), lastSeenAt: row["last_seen_at"]),
                row["expires_at"]
            )
        }
        guard let (found, expiresAt) = read else { return nil }
        // Remembered only while neither limit can pass meanwhile (timestamps compare as text).
        let soon = now.addingTimeInterval(SignInCache.lifetime)
        if expiresAt > Timestamp.string(soon), found.lastSeenAt > Timestamp.string(idleCutoff.addingTimeInterval(SignInCache.lifetime)) {
            cache.store(found, for: hash, generation: generation)
        }
        return found
    }

    /// Ends one session (logout).
    public func end(_ session: Active, actor: AuditActor) async throws {
        try await database.write { db in
            try db.execute(sql: "UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL", arguments: [Timestamp.now, session.id])
            try AuditLog.record(db, actor: actor, action: "auth.logout", entityType: "session", entityID: String(session.id))
        }
    }

    /// Ends every session of a user, inside the caller's transaction (password change, disabling).
    package static func endAll(of userID: Int64, _ db: Database) throws {
        try db.execute(sql: "UPDATE sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL", arguments: [Timestamp.now, userID])
    }
}
