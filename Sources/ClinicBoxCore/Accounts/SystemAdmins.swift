import Foundation
import GRDB

/// The system administrators of the box, in `<data>/system.sqlite` and never in a tenant database.
/// They may read every tenant's configuration and health, not its records.
public struct SystemAdmins: Sendable {
    package let pool: DatabasePool
    package let throttle: LoginThrottle
    /// Throttling keys need a tenant; system sign-ins get their own throttle, so this never meets a real tenant's.
    private static let throttleScope = TenantID("system")!

    /// One administrator as `clinicbox admin list` shows it.
    public struct Listed: Sendable, Encodable {
        public var email: String
        public var active: Bool
        public var createdAt: String
    }

    /// Opens (creating and migrating on first use) `<dataFolder>/system.sqlite`.
    public static func open(dataFolder: String, throttle: LoginThrottle = LoginThrottle()) throws -> SystemAdmins {
        try DataFolder.prepare(dataFolder)
        _ = SQLiteLibrary.configured
        let pool = try TenantDatabase.durablePool(path: dataFolder + "/system.sqlite", maximumReaders: 2)
        try SystemSchema.migrator.migrate(pool)
        return SystemAdmins(pool: pool, throttle: throttle)
    }

    public func add(email rawEmail: String, password: String) async throws {
        let email = rawEmail.trimmingSpaces.lowercased()
        guard ContactFormat.isEmail(email) else { throw AccountError(["email": "'\(rawEmail)' is not an email address"]) }
        if let problem = PasswordPolicy.problem(with: password, email: email) { throw AccountError(["password": problem]) }
        let hash = try await PasswordHasher.hashOffPool(password)
        try await pool.write { db in
            guard try Int.fetchOne(db, sql: "SELECT count(*) FROM system_admins WHERE email = ?", arguments: [email]) == 0 else {
                throw AccountError(["email": "a system administrator with the email \(email) already exists"])
            }
            try db.execute(
                sql: "INSERT INTO system_admins (email, password_hash, created_at) VALUES (?, ?, ?)",
                arguments: [email, hash, Timestamp.now]
            )
            try AuditLog.record(db, actor: .commandLine, action: "admin.created", entityType: "system_admin", entityID: String(db.lastInsertedRowID))
        }
    }

    /// Replaces an administrator's password and revokes every token they hold (the password itself is never audited).
    public func setPassword(email: String, to password: String) async throws {
        if let problem = PasswordPolicy.problem(with: password, email: email) { throw AccountError(["password": problem]) }
        let hash = try await PasswordHasher.hashOffPool(password)
        try await pool.write { db in
            let id = try requireAdmin(db, email: email)
            try db.execute(sql: "UPDATE system_admins SET password_hash = ? WHERE id = ?", arguments: [hash, id])
            try revokeAllTokens(of: id, db)
            try AuditLog.record(db, actor: .commandLine, action: "admin.password_changed", entityType: "system_admin", entityID: String(id))
        }
    }

    /// Disables an administrator: no more sign-ins, every token revoked; the audit history stays.
    public func disable(email: String) async throws {
        try await pool.write { db in
            let id = try requireAdmin(db, email: email)
            try db.execute(sql: "UPDATE system_admins SET active = 0 WHERE id = ? AND active = 1", arguments: [id])
            guard db.changesCount == 1 else { return }
            try revokeAllTokens(of: id, db)
            try AuditLog.record(
                db,
                actor: .commandLine,
                action: "admin.disabled",
                entityType: "system_admin",
                entityID: String(id),
                changes: ["active": .init(before: "true", after: "false")]
            )
        }
    }

    public func list() async throws -> [Listed] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT email, active, created_at FROM system_admins ORDER BY email").map {
                Listed(email: $0["email"], active: $0["active"], createdAt: $0["created_at"])
            }
        }
    }

    /// A bearer token for a system administrator, or nil (audited, throttled) when the email or password is wrong.
    public func signIn(email rawEmail: String, password: String, actor: AuditActor) async throws -> Authenticator.Outcome {
        let email = rawEmail.trimmingSpaces.lowercased()
        let address = actor.clientAddress ?? "unknown"
        if let wait = throttle.retryAfter(tenant: Self.throttleScope, email: email, address: address) { return .throttled(retryAfter: wait) }
        let admin = try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT id, password_hash FROM system_admins WHERE email = ? AND active = 1", arguments: [email])
                .map { (id: $0["id"] as Int64, hash: $0["password_hash"] as String) }
        }
        let matches = await PasswordHasher.verifyOffPool(password, against: admin?.hash ?? PasswordHasher.decoy)
        guard let admin, matches else {
            throttle.recordFailure(tenant: Self.throttleScope, email: email, address: address)
            try await pool.write { db in
                try AuditLog.record(db, actor: actor, action: "admin.login_failed", changes: ["email": .init(before: nil, after: email)])
            }
            return .failure
        }
        throttle.recordSuccess(tenant: Self.throttleScope, email: email)
        if PasswordHasher.needsRehash(admin.hash) {
            let new = try await PasswordHasher.hashOffPool(password)
            try await pool.write { db in
                try db.execute(
                    sql: "UPDATE system_admins SET password_hash = ? WHERE id = ? AND password_hash = ?",
                    arguments: [new, admin.id, admin.hash]
                )
            }
        }
        return .success(AuthenticatedUser(id: admin.id, email: email, role: .admin, branches: [], tokenID: nil))
    }

    private func requireAdmin(_ db: Database, email: String) throws -> Int64 {
        let email = email.trimmingSpaces.lowercased()
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM system_admins WHERE email = ?", arguments: [email]) else {
            throw AccountError(["email": "no system administrator with the email \(email)"])
        }
        return id
    }
}
