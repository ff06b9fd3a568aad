import Foundation
import GRDB

/// Bearer tokens of system administrators (`cbs_…`): issued at sign-in, expiring, listable and revocable by their owner.
extension SystemAdmins {
    package static let tokenPrefix = "cbs_"

    /// The administrator behind a token.
    public struct Holder: Sendable {
        public var id: Int64
        public var email: String
        public var tokenID: Int64
    }

    /// One unrevoked token as its owner sees it (never the token itself).
    public struct ListedToken: Sendable, Encodable {
        public var id: Int64
        public var createdAt: String
        public var expiresAt: String
    }

    public func issueToken(for admin: AuthenticatedUser, actor: AuditActor) async throws -> AccessTokens.Issued {
        let token = Self.tokenPrefix + AccessTokens.randomSecret()
        let expiresAt = Timestamp.string(Date().addingTimeInterval(AccessTokens.tokenLifetime))
        let id = try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO admin_tokens (admin_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?)",
                arguments: [admin.id, AccessTokens.hash(token), Timestamp.now, expiresAt]
            )
            let id = db.lastInsertedRowID
            try AuditLog.record(db, actor: actor, action: "admin.login", entityType: "system_admin", entityID: String(admin.id))
            return id
        }
        return .init(id: id, token: token, expiresAt: expiresAt)
    }

    /// The active administrator behind an unexpired, unrevoked `token`, or nil.
    public func authenticate(_ token: String) async throws -> Holder? {
        guard token.hasPrefix(Self.tokenPrefix), token.utf8.count < 100 else { return nil }
        let hash = AccessTokens.hash(token)
        let now = Timestamp.now
        return try await pool.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT a.id, a.email, t.id AS token_id FROM admin_tokens t JOIN system_admins a ON a.id = t.admin_id
                    WHERE t.token_hash = ? AND t.expires_at > ? AND t.revoked_at IS NULL AND a.active = 1
                    """,
                arguments: [hash, now]
            ).map { Holder(id: $0["id"], email: $0["email"], tokenID: $0["token_id"]) }
        }
    }

    /// The unexpired, unrevoked tokens of one administrator.
    public func tokens(of adminID: Int64) async throws -> [ListedToken] {
        let now = Timestamp.now
        return try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT id, created_at, expires_at FROM admin_tokens WHERE admin_id = ? AND revoked_at IS NULL AND expires_at > ? ORDER BY id",
                arguments: [adminID, now]
            ).map { ListedToken(id: $0["id"], createdAt: $0["created_at"], expiresAt: $0["expires_at"]) }
        }
    }

    /// Revokes token `id` of `holder`; false when they hold no such token.
    public func revokeToken(_ id: Int64, of holder: Holder, actor: AuditActor) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE admin_tokens SET revoked_at = ? WHERE id = ? AND admin_id = ? AND revoked_at IS NULL",
                arguments: [Timestamp.now, id, holder.id]
            )
            guard db.changesCount == 1 else { return false }
            try AuditLog.record(db, actor: actor, action: "admin.token_revoked", entityType: "admin_token", entityID: String(id))
            return true
        }
    }

    package func revokeAllTokens(of adminID: Int64, _ db: Database) throws {
        try db.execute(sql: "UPDATE admin_tokens SET revoked_at = ? WHERE admin_id = ? AND revoked_at IS NULL", arguments: [Timestamp.now, adminID])
    }
}
