import Crypto
import Foundation
import GRDB

/// Bearer tokens (expiring) and API keys (named, admin-made, optionally limited: `APIKeyLimits`) of one tenant.
/// Only a SHA-256 hash of each token is stored, in the tenant's own database, so a token is meaningless
/// to every other tenant.
public struct AccessTokens: Sendable {
    public let database: TenantDatabase
    public static let tokenLifetime: TimeInterval = 12 * 3600

    public enum Kind: String, Sendable {
        case token
        case apiKey = "api_key"
    }

    public struct Issued: Sendable, Encodable {
        public var id: Int64
        public var token: String
        public var expiresAt: String?
    }

    public struct Listed: Sendable, Encodable {
        public var id: Int64
        public var userEmail: String
        public var kind: String
        public var name: String?
        public var createdAt: String
        public var expiresAt: String?
        public var lastUsedAt: String?
        /// A scoped key's actions; nil: all its user may do.
        public var actions: [String]?
        /// The addresses a key may be used from; nil: anywhere.
        public var allowedAddresses: [String]?
    }

    public init(database: TenantDatabase) {
        self.database = database
    }

    /// Creates a token for `user`; the plain token is returned once and never stored.
    /// An API key's `limits` need `timeZone`, the clinic's, for the day it stops working.
    package func issue(
        for user: AuthenticatedUser,
        kind: Kind,
        name: String? = nil,
        limits: APIKeyLimits = APIKeyLimits(),
        timeZone: TimeZone = .gmt,
        by actor: AuditActor
    ) async throws -> Issued {
        let token = "cbx_" + database.credentialMark + Self.randomSecret()
        let expiresAt = kind == .token ? Timestamp.string(Date().addingTimeInterval(Self.tokenLifetime)) : limits.expiry(in: timeZone)
        let hash = Self.hash(token)
        let id = try await database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO access_tokens (user_id, token_hash, kind, name, created_at, expires_at, scope, allowed_addresses)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [user.id, hash, kind.rawValue, name, Timestamp.now, expiresAt, limits.storedScope, limits.storedAddresses]
            )
            let id = db.lastInsertedRowID
            var changes: [String: AuditChange] = [:]
            changes["name"] = name.map { AuditChange(before: nil, after: $0) }
            changes["actions"] = limits.storedScope.map { AuditChange(before: nil, after: $0) }
            changes["allowed_addresses"] = limits.storedAddresses.map { AuditChange(before: nil, after: $0) }
            changes["valid_until"] = limits.lastDay.map { AuditChange(before: nil, after: $0.description) }
            try AuditLog.record(
                db,
                actor: actor,
                action: kind == .token ? "auth.token_issued" : "auth.api_key_created",
                entityType: "access_token",
                entityID: String(id),
                changes: changes
            )
            return id
        }
        return Issued(id: id, token: token, expiresAt: expiresAt)
    }

    /// The active user behind `token`, or nil for an unknown, expired or revoked token or a disabled user.
    public func authenticate(_ token: String) async throws -> AuthenticatedUser? {
        guard token.hasPrefix("cbx_"), token.utf8.count < 100 else { return nil }
        let hash = Self.hash(token)
        let cache = database.signIns.tokens
        if let user = cache.value(for: hash) { return user }
        let generation = cache.generation
        let now = Date()
        let found = try await database.readStatement { db in
            try db.fetchOneCached(
                """
                SELECT t.id AS token_id, t.expires_at, t.kind, t.scope, t.allowed_addresses, u.id, u.email, u.display_name, u.role, u.branches, u.totp_secret IS NOT NULL AS two_factor
                FROM access_tokens t JOIN users u ON u.id = t.user_id
                WHERE t.token_hash = ? AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?) AND u.active = 1
                """,
                [hash, Timestamp.string(now)]
            ).map { row in (user: AuthenticatedUser(row: row, tokenID: row["token_id"]), expiresAt: row["expires_at"] as String?) }
        }
        guard let found, let user = found.user else { return nil }
        // Remembered only while the token cannot expire meanwhile (timestamps compare as text).
        if found.expiresAt.map({ $0 > Timestamp.string(now.addingTimeInterval(SignInCache.lifetime)) }) ?? true {
            cache.store(user, for: hash, generation: generation)
        }
        return user
    }

    /// Unrevoked tokens and keys, of one user or (nil) of everyone.
    public func list(userID: Int64?) async throws -> [Listed] {
        try await database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT t.id, u.email, t.kind, t.name, t.created_at, t.expires_at, t.last_used_at, t.scope, t.allowed_addresses FROM access_tokens t JOIN users u ON u.id = t.user_id
                    WHERE t.revoked_at IS NULL AND (? IS NULL OR t.user_id = ?) ORDER BY t.id
                    """,
                arguments: [userID, userID]
            ).map {
                Listed(
                    id: $0["id"],
                    userEmail: $0["email"],
                    kind: $0["kind"],
                    name: $0["name"],
                    createdAt: $0["created_at"],
                    expiresAt: $0["expires_at"],
                    lastUsedAt: $0["last_used_at"],
                    actions: APIKeyLimits.scope(stored: $0["scope"])?.sorted(),
                    allowedAddresses: APIKeyLimits.addresses(stored: $0["allowed_addresses"])?.map(\.description)
                )
            }
        }
    }

    /// Revokes token `id` if it belongs to `ownerID` (or to anyone, when nil); false when there is no such token.
    public func revoke(_ id: Int64, ownedBy ownerID: Int64?, by actor: AuditActor) async throws -> Bool {
        try await database.write { db in
            try db.execute(
                sql: "UPDATE access_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL AND (? IS NULL OR user_id = ?)",
                arguments: [Timestamp.now, id, ownerID, ownerID]
            )
            guard db.changesCount == 1 else { return false }
            try AuditLog.record(db, actor: actor, action: "auth.token_revoked", entityType: "access_token", entityID: String(id))
            return true
        }
    }

    /// 256 random bits, base64url without padding.
    package static func randomSecret() -> String {
        // Four 64-bit draws, not 32 one-byte ones: each draw is a getrandom call, and a start with thousands of
        // tenants without an admin makes a setup link for each.
        var generator = SystemRandomNumberGenerator()
        var secret = Data(capacity: 32)
        for _ in 0..<4 { withUnsafeBytes(of: generator.next()) { secret.append(contentsOf: $0) } }
        return Base64URL.encode(secret)
    }

    package static func hash(_ token: String) -> Data {
        Data(SHA256.hash(data: Data(token.utf8)))
    }
}

/// UTC timestamps as ISO 8601 text, the one format stored in tenant databases (sorts as it reads).
