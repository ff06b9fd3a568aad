import Foundation
import GRDB

/// Cookie sessions for pages, kept in the tenant's own database (so a cookie means nothing to another tenant).
/// Only the cookie value's SHA-256 hash is stored. A session ends after the tenant's idle minutes (30 unless
/// `security.session_idle_minutes` says otherwise), after its hours in all (12), at logout, when its user's password
/// changes or two-factor sign-in is turned off, and when its user is disabled.
public struct Sessions: Sendable {
    public let database: TenantDatabase
    public let security: TenantDefinition.Security

    public struct Active: Sendable {
        public var user: AuthenticatedUser
        public var id: Int64
        public var csrfToken: String
    }

    public init(database: TenantDatabase, security: TenantDefinition.Security) {
        (self.database, self.security) = (database, security)
    }

    /// Starts a session; returns the cookie value (shown once) and the session's CSRF token.
    public func start(for user: AuthenticatedUser, actor: AuditActor, device: String? = nil) async throws -> (cookie: String, csrfToken: String) {
        let cookie = database.credentialMark + AccessTokens.randomSecret()
        let csrf = AccessTokens.randomSecret()
        let now = Date()
        try await database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO sessions (session_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, address, device)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    AccessTokens.hash(cookie), user.id, csrf, Timestamp.string(now), Timestamp.string(now),
                    Timestamp.string(now.addingTimeInterval(security.absoluteLimit)), actor.clientAddress, device.map { String($0.prefix(300)) },
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
        let idleCutoff = now.addingTimeInterval(-security.idleLimit)
        let read = try await database.readStatement { db -> (found: Found, expiresAt: String)? in
            guard
                let row = try db.fetchOneCached(
                    """
                        SELECT s.id AS session_id, s.csrf_token, s.last_seen_at, s.expires_at, u.id, u.email, u.display_name, u.role, u.branches,
                            u.totp_secret IS NOT NULL AS two_factor
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

    /// Why the session behind `cookie` is no longer live, when it ended by itself: for the sign-in page's message.
    package func ending(of cookie: String) async throws -> Ending? {
        guard cookie.utf8.count < 100 else { return nil }
        let (hash, now) = (AccessTokens.hash(cookie), Date())
        let found = try await database.readStatement { db in
            try db.fetchOneCached("SELECT last_seen_at, expires_at, ended_at FROM sessions WHERE session_hash = ?", [hash]).map { row in
                (lastSeen: row["last_seen_at"] as String, expires: row["expires_at"] as String, ended: row["ended_at"] as String? != nil)
            }
        }
        guard let found, !found.ended else { return nil }
        if found.expires <= Timestamp.string(now) { return .tooLong(hours: security.sessionMaxHours) }
        if found.lastSeen <= Timestamp.string(now.addingTimeInterval(-security.idleLimit)) {
            return .idle(minutes: security.sessionIdleMinutes)
        }
        return nil
    }

    package enum Ending: Equatable, Sendable {
        case idle(minutes: Int)
        case tooLong(hours: Int)

        package var sentence: String {
            switch self {
            case .idle(let minutes):
                "You were signed out after \(minutes == 1 ? "a minute" : "\(minutes) minutes") without activity. Sign in again to go on where you were."
            case .tooLong(let hours): "You were signed out after \(hours == 1 ? "an hour" : "\(hours) hours"). Sign in again to go on where you were."
            }
        }
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
