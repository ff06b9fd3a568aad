import Foundation
import GRDB

/// The system administrators of the box, in `<data>/system.sqlite` and never in a tenant database.
/// They may read every tenant's configuration and health, not its records.
public struct SystemAdmins: Sendable {
    let pool: DatabasePool
    let throttle: LoginThrottle
    static let tokenPrefix = "cbs_"
    /// Throttling keys need a tenant; system sign-ins get their own throttle, so this never meets a real tenant's.
    private static let throttleScope = TenantID("system")!

    /// Opens (creating and migrating on first use) `<dataFolder>/system.sqlite`.
    public static func open(dataFolder: String, throttle: LoginThrottle = LoginThrottle()) throws -> SystemAdmins {
        try DataFolder.prepare(dataFolder)
        let pool = try DatabasePool(path: dataFolder + "/system.sqlite", configuration: TenantDatabase.configuration(maximumReaders: 2))
        var migrator = DatabaseMigrator()
        migrator.registerMigration("system.v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE system_admins (
                        id INTEGER PRIMARY KEY,
                        email TEXT NOT NULL UNIQUE COLLATE NOCASE,
                        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
                        password_hash TEXT NOT NULL,
                        created_at TEXT NOT NULL
                    ) STRICT;
                    CREATE TABLE admin_tokens (
                        id INTEGER PRIMARY KEY,
                        admin_id INTEGER NOT NULL REFERENCES system_admins (id),
                        token_hash BLOB NOT NULL UNIQUE,
                        created_at TEXT NOT NULL,
                        expires_at TEXT NOT NULL
                    ) STRICT;
                    """
            )
            try db.execute(sql: AuditLog.tableSQL)
        }
        try migrator.migrate(pool)
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
                sql: "INSERT INTO system_admins (email, password_hash, created_at) VALUES (?, ?, ?)", arguments: [email, hash, Timestamp.now]
            )
            try AuditLog.record(db, actor: .commandLine, action: "admin.created", entityType: "system_admin", entityID: String(db.lastInsertedRowID))
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
            try await pool.write { db in try AuditLog.record(db, actor: actor, action: "admin.login_failed", changes: ["email": .init(before: nil, after: email)]) }
            return .failure
        }
        throttle.recordSuccess(tenant: Self.throttleScope, email: email)
        return .success(AuthenticatedUser(id: admin.id, email: email, role: .admin, branches: [], tokenID: nil))
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

    /// The email of the active administrator behind `token`, or nil.
    public func authenticate(_ token: String) async throws -> String? {
        guard token.hasPrefix(Self.tokenPrefix), token.utf8.count < 100 else { return nil }
        let hash = AccessTokens.hash(token)
        let now = Timestamp.now
        return try await pool.read { db in
            try String.fetchOne(
                db,
                sql: "SELECT a.email FROM admin_tokens t JOIN system_admins a ON a.id = t.admin_id WHERE t.token_hash = ? AND t.expires_at > ? AND a.active = 1",
                arguments: [hash, now]
            )
        }
    }
}

/// Opens `system.sqlite` the first time a system administrator is needed, not at start.
public final class SystemAdminsStore: Sendable {
    private let dataFolder: String
    private let throttle = LoginThrottle()
    private let opened = Mutex<SystemAdmins?>(nil)

    public init(dataFolder: String) {
        self.dataFolder = dataFolder
    }

    public func admins() throws -> SystemAdmins {
        try opened.withLock { opened in
            if let opened { return opened }
            let admins = try SystemAdmins.open(dataFolder: dataFolder, throttle: throttle)
            opened = admins
            return admins
        }
    }
}

import Synchronization
