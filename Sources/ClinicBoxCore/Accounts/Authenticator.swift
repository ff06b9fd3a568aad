import Foundation
import GRDB
import Logging

/// Checks an email and password against one tenant's users, with throttling and an audit row either way.
///
/// The throttle is asked first, before the database is even opened. A tenant without a database has no users: every attempt fails, after the same throttle and the same decoy hash as a wrong
/// password, and leaves no trace but the throttle's count; nothing is created.
public struct Authenticator: Sendable {
    public let tenant: TenantID
    public let throttle: LoginThrottle
    private let storage: TenantStorage

    public enum Outcome: Sendable {
        case success(AuthenticatedUser)
        /// The password is right and the user has a second factor: ask for a code (`secondFactor`).
        case needsSecondFactor(AuthenticatedUser)
        case failure
        case throttled(retryAfter: Duration)
    }

    public init(storage: TenantStorage, throttle: LoginThrottle) {
        self.tenant = storage.tenant
        self.throttle = throttle
        self.storage = storage
    }

    /// Checks the password; for a user with a second factor also `code` (nil: `.needsSecondFactor`).
    public func login(email rawEmail: String, password: String, code: String? = nil, actor: AuditActor) async throws -> Outcome {
        let email = rawEmail.trimmingSpaces.lowercased()
        let address = actor.clientAddress ?? "unknown"
        if let wait = throttle.retryAfter(tenant: tenant, email: email, address: address) {
            // Only a tenant that already has a database records it; opening one is never worth a throttled guess.
            if storage.hasDatabase {
                try await audit(try await storage.existingDatabase(), "auth.login_throttled", email: email, userID: nil, actor: actor)
            }
            return .throttled(retryAfter: wait)
        }
        let database = try await storage.existingDatabase()
        let found =
            try await database?.read { db in
                try Row.fetchOne(
                    db,
                    sql: """
                        SELECT id, email, display_name, role, branches, active, password_hash, totp_secret IS NOT NULL AS two_factor
                        FROM users WHERE email = ?
                        """,
                    arguments: [email]
                )
                .map {
                    (
                        user: AuthenticatedUser(row: $0), active: $0["active"] as Bool, hash: $0["password_hash"] as String,
                        twoFactor: $0["two_factor"] as Bool
                    )
                }
            } ?? nil
        // An unknown email is checked against a decoy hash, so it costs the same time as a wrong password.
        let matches = await PasswordHasher.verifyOffPool(password, against: found?.hash ?? PasswordHasher.decoy)
        guard let found, matches, found.active, let user = found.user else {
            if let found, PasswordHasher.isRetired(found.hash) {
                Self.logger.warning(
                    "\(email) at tenant \(tenant) has a password from an older ClinicBox (Argon2id) that this one cannot check; set a new one with: clinicbox user passwd --tenant \(tenant) --email \(email)"
                )
            }
            throttle.recordFailure(tenant: tenant, email: email, address: address)
            try await audit(database, "auth.login_failed", email: email, userID: found?.user?.id, actor: actor)
            return .failure
        }
        if let database, PasswordHasher.needsRehash(found.hash) { try await rehash(password, of: user.id, replacing: found.hash, in: database) }
        if found.twoFactor {
            guard let code, !code.trimmingSpaces.isEmpty else { return .needsSecondFactor(user) }
            return try await secondFactor(code, for: user, actor: actor)
        }
        throttle.recordSuccess(tenant: tenant, email: email)
        try await audit(database, "auth.login", email: email, userID: user.id, actor: actor.acting(as: user))
        return .success(user)
    }

    /// Checks the code of a user whose password was right: an app's six digits or a recovery code, each used up. A
    /// wrong code counts against the throttle as a wrong password does.
    public func secondFactor(_ code: String, for user: AuthenticatedUser, actor: AuditActor) async throws -> Outcome {
        let address = actor.clientAddress ?? "unknown"
        let database = try await storage.database()
        if let wait = throttle.retryAfter(tenant: tenant, email: user.email, address: address) {
            try await audit(database, "auth.login_throttled", email: user.email, userID: user.id, actor: actor)
            return .throttled(retryAfter: wait)
        }
        let used = try await database.write { db in
            let used = try TwoFactor.use(code, userID: user.id, db)
            var changes: [String: AuditChange] = ["email": .init(before: nil, after: user.email)]
            switch used {
            case .appCode: changes["second_factor"] = .init(before: nil, after: "authenticator app")
            case .recoveryCode(let left): changes["second_factor"] = .init(before: nil, after: "recovery code, \(left) left")
            case nil: break
            }
            try AuditLog.record(
                db,
                actor: used == nil ? actor : actor.acting(as: user),
                action: used == nil ? "auth.second_factor_failed" : "auth.login",
                entityType: "user",
                entityID: String(user.id),
                changes: changes
            )
            return used
        }
        guard used != nil else {
            throttle.recordFailure(tenant: tenant, email: user.email, address: address)
            return .failure
        }
        throttle.recordSuccess(tenant: tenant, email: user.email)
        return .success(user)
    }

    private static let logger = Logger(label: "clinicbox")

    /// Stores the password again with today's parameters; only if nobody changed it meanwhile. Not audited: the
    /// password is the same, and the hash is never shown.
    private func rehash(_ password: String, of userID: Int64, replacing old: String, in database: TenantDatabase) async throws {
        let new = try await PasswordHasher.hashOffPool(password)
        try await database.write { db in
            try db.execute(sql: "UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?", arguments: [new, userID, old])
        }
    }

    private func audit(_ database: TenantDatabase?, _ action: String, email: String, userID: Int64?, actor: AuditActor) async throws {
        guard let database else { return }
        try await database.write { db in
            try AuditLog.record(
                db,
                actor: actor,
                action: action,
                entityType: "user",
                entityID: userID.map(String.init),
                changes: ["email": .init(before: nil, after: email)]
            )
        }
    }
}
