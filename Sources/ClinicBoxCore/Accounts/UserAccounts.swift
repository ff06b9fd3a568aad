import Foundation
import GRDB

/// Creating and changing the users of one tenant. Every change is written with its audit row in one transaction.
public struct UserAccounts: Sendable {
    public let tenant: TenantDefinition
    public let database: TenantDatabase

    public init(tenant: TenantDefinition, database: TenantDatabase) {
        self.tenant = tenant
        self.database = database
    }

    /// What this tenant's passwords must not contain.
    package var passwordNames: [String] { [tenant.id.rawValue, tenant.name, tenant.branding.companyName] }

    public struct NewUser: Sendable {
        public var email: String
        public var displayName: String
        public var role: Role
        public var branches: [String]
        public var password: String
        /// Sees patients although not a clinician: offered as a practitioner when booking.
        public var practitioner: Bool
        /// Printed on their prescriptions; empty means none.
        public var registrationNumber: String?

        public init(
            email: String,
            displayName: String,
            role: Role,
            branches: [String] = [],
            password: String,
            practitioner: Bool = false,
            registrationNumber: String? = nil
        ) {
            self.email = email
            self.displayName = displayName
            self.role = role
            self.branches = branches
            self.password = password
            self.practitioner = practitioner
            self.registrationNumber = registrationNumber
        }
    }

    /// What an admin may change about a user: name, role, branches, whether they see patients, and their
    /// registration number.
    public struct Change: Sendable {
        public var displayName: String
        public var role: Role
        public var branches: [String]
        public var practitioner: Bool
        public var registrationNumber: String?

        public init(displayName: String, role: Role, branches: [String], practitioner: Bool, registrationNumber: String?) {
            self.displayName = displayName
            self.role = role
            self.branches = branches
            self.practitioner = practitioner
            self.registrationNumber = registrationNumber
        }
    }

    // MARK: Reads

    public func list() async throws -> [User] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT \(User.columns) FROM users ORDER BY email").map(User.init(row:))
        }
    }

    public func user(email: String) async throws -> User? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT \(User.columns) FROM users WHERE email = ?", arguments: [email]).map(User.init(row:))
        }
    }

    // MARK: Writes

    /// Refused: the tenant has an admin already (`create(…, onlyAsFirstAdmin: true)`).
    package struct AdminExists: Error {}

    /// Adds a user, enforcing the tenant's `limits.max_users` (active users) and its branch codes. With
    /// `onlyAsFirstAdmin`, only while the tenant has no active admin, checked in the same transaction as the insert.
    public func create(_ new: NewUser, by actor: AuditActor, onlyAsFirstAdmin: Bool = false) async throws -> User {
        let email = new.email.trimmingSpaces.lowercased()
        var problems: [String: String] = [:]
        if !ContactFormat.isEmail(email) { problems["email"] = "'\(new.email)' is not an email address" }
        let name = new.displayName.trimmingSpaces
        if let problem = Self.nameProblem(name) { problems["display_name"] = problem }
        let unknown = new.branches.filter { code in !tenant.branches.contains { $0.code == code } }
        if !unknown.isEmpty {
            let known = tenant.branches.map(\.code).joined(separator: ", ")
            problems["branches"] = "unknown branch \(unknown.joined(separator: ", ")); this tenant's branches are \(known.isEmpty ? "none" : known)"
        }
        if let problem = PasswordPolicy.problem(with: new.password, email: email, names: passwordNames) { problems["password"] = problem }
        let registration = Self.registration(new.registrationNumber)
        if let problem = Self.registrationProblem(registration) { problems["registration_number"] = problem }
        guard problems.isEmpty else { throw AccountError(problems) }

        let hash = try await PasswordHasher.hashOffPool(new.password)  // slow on purpose: outside the write transaction
        let branchesJSON = BranchCodes.encode(new.branches)
        let maxUsers = tenant.limits.maxUsers
        return try await database.write { db in
            if onlyAsFirstAdmin, try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM users WHERE role = 'admin' AND active = 1)") == true {
                throw AdminExists()
            }
            let active = try Int.fetchOne(db, sql: "SELECT count(*) FROM users WHERE active = 1") ?? 0
            guard active < maxUsers else {
                throw AccountError(["email": "this tenant already has \(active) active users, its limit (limits.max_users is \(maxUsers))"])
            }
            guard try Int.fetchOne(db, sql: "SELECT count(*) FROM users WHERE email = ?", arguments: [email]) == 0 else {
                throw AccountError(["email": "a user with the email \(email) already exists in this tenant"])
            }
            try db.execute(
                sql: """
                    INSERT INTO users (email, display_name, role, branches, practitioner, registration_number, password_hash, password_changed_at,
                        created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    email, name, new.role.rawValue, branchesJSON, new.practitioner, registration, hash, Timestamp.now, Timestamp.now, Timestamp.now,
                ]
            )
            let id = db.lastInsertedRowID
            var changes: [String: AuditChange] = [
                "email": .init(before: nil, after: email), "display_name": .init(before: nil, after: name),
                "role": .init(before: nil, after: new.role.rawValue), "branches": .init(before: nil, after: branchesJSON),
            ]
            if new.practitioner { changes["practitioner"] = .init(before: nil, after: "true") }
            if let registration { changes["registration_number"] = .init(before: nil, after: registration) }
            try AuditLog.record(db, actor: actor, action: "user.created", entityType: "user", entityID: String(id), changes: changes)
            return try User(row: Row.fetchOne(db, sql: "SELECT \(User.columns) FROM users WHERE id = ?", arguments: [id])!)
        }
    }

    /// Replaces a user's password and ends their sessions and bearer tokens (the password itself is never audited).
    public func setPassword(email: String, to password: String, by actor: AuditActor) async throws {
        if let problem = PasswordPolicy.problem(with: password, email: email, names: passwordNames) { throw AccountError(["password": problem]) }
        let hash = try await PasswordHasher.hashOffPool(password)
        try await database.write { db in
            let id = try requireUser(db, email: email)
            try db.execute(
                sql: "UPDATE users SET password_hash = ?, password_changed_at = ?, updated_at = ? WHERE id = ?",
                arguments: [hash, Timestamp.now, Timestamp.now, id]
            )
            // Whoever knew the old password may hold a session or token: end them all (API keys stay, they are no login).
            try Sessions.endAll(of: id, db)
            try db.execute(
                sql: "UPDATE access_tokens SET revoked_at = ? WHERE user_id = ? AND kind = 'token' AND revoked_at IS NULL",
                arguments: [Timestamp.now, id]
            )
            try AuditLog.record(db, actor: actor, action: "user.password_changed", entityType: "user", entityID: String(id))
        }
    }

    /// Changes a user's name, role, branches and practitioner mark; takes effect on their next request. The last
    /// active admin keeps the role, so a tenant is never left without anyone who can manage it.
    public func change(email: String, to change: Change, by actor: AuditActor) async throws {
        let name = change.displayName.trimmingSpaces
        if let problem = Self.nameProblem(name) { throw AccountError(["display_name": problem]) }
        let unknown = change.branches.filter { code in !tenant.branches.contains { $0.code == code } }
        guard unknown.isEmpty else { throw AccountError(["branches": "unknown branch \(unknown.joined(separator: ", "))"]) }
        let registration = Self.registration(change.registrationNumber)
        if let problem = Self.registrationProblem(registration) { throw AccountError(["registration_number": problem]) }
        let after: [String: String] = [
            "display_name": name, "role": change.role.rawValue, "branches": BranchCodes.encode(change.branches),
            "practitioner": String(change.practitioner), "registration_number": registration ?? "",
        ]
        try await database.write { db in
            let id = try requireUser(db, email: email)
            let row = try Row.fetchOne(
                db,
                sql: "SELECT display_name, role, branches, practitioner, registration_number FROM users WHERE id = ?",
                arguments: [id]
            )!
            let before: [String: String] = [
                "display_name": row["display_name"], "role": row["role"], "branches": row["branches"],
                "practitioner": String(row["practitioner"] as Bool), "registration_number": row["registration_number"] ?? "",
            ]
            let changed = after.filter { before[$0.key] != $0.value }
            guard !changed.isEmpty else { return }
            if before["role"] == Role.admin.rawValue, change.role != .admin,
                try Int.fetchOne(db, sql: "SELECT count(*) FROM users WHERE role = 'admin' AND active = 1") ?? 0 <= 1
            {
                throw AccountError(["role": "this is the only active admin; make someone else admin first"])
            }
            try db.execute(
                sql:
                    "UPDATE users SET display_name = ?, role = ?, branches = ?, practitioner = ?, registration_number = ?, updated_at = ? WHERE id = ?",
                arguments: [name, change.role.rawValue, after["branches"], change.practitioner, registration, Timestamp.now, id]
            )
            try AuditLog.record(
                db,
                actor: actor,
                action: "user.changed",
                entityType: "user",
                entityID: String(id),
                changes: Dictionary(uniqueKeysWithValues: changed.map { ($0.key, AuditChange(before: before[$0.key], after: $0.value)) })
            )
        }
    }

    /// A registration number as kept: trimmed, nil when empty.
    package static func registration(_ text: String?) -> String? {
        text.map(\.trimmingSpaces).flatMap { $0.isEmpty ? nil : $0 }
    }

    package static func registrationProblem(_ registration: String?) -> String? {
        (registration?.count ?? 0) > 50 ? "write the registration number in at most 50 characters" : nil
    }

    package static func nameProblem(_ name: String) -> String? {
        name.isEmpty || name.count > 200 ? "give a name of 1 to 200 characters" : nil
    }

    /// Turns off a user's two-factor sign-in (a lost phone and no recovery code left): their secret and recovery
    /// codes go, and their sessions and tokens end, so whoever has the phone now holds nothing. They sign in with the
    /// password and set it up again. False when it was not on.
    @discardableResult
    public func resetTwoFactor(email: String, by actor: AuditActor) async throws -> Bool {
        try await database.write { db in
            let id = try requireUser(db, email: email)
            guard try TwoFactor.isOn(userID: id, db) else { return false }
            try db.execute(
                sql: "UPDATE users SET totp_secret = NULL, totp_pending_secret = NULL, totp_last_step = NULL, updated_at = ? WHERE id = ?",
                arguments: [Timestamp.now, id]
            )
            try db.execute(sql: "DELETE FROM recovery_codes WHERE user_id = ?", arguments: [id])
            try Sessions.endAll(of: id, db)
            try db.execute(
                sql: "UPDATE access_tokens SET revoked_at = ? WHERE user_id = ? AND kind = 'token' AND revoked_at IS NULL",
                arguments: [Timestamp.now, id]
            )
            try AuditLog.record(db, actor: actor, action: "user.two_factor_reset", entityType: "user", entityID: String(id))
            return true
        }
    }

    /// Disables a user: they can no longer sign in; their records and audit history stay.
    public func disable(email: String, by actor: AuditActor) async throws {
        try await database.write { db in
            let id = try requireUser(db, email: email)
            let wasActive = try Bool.fetchOne(db, sql: "SELECT active FROM users WHERE id = ?", arguments: [id]) ?? false
            guard wasActive else { return }
            try db.execute(sql: "UPDATE users SET active = 0, updated_at = ? WHERE id = ?", arguments: [Timestamp.now, id])
            try Sessions.endAll(of: id, db)
            try AuditLog.record(
                db,
                actor: actor,
                action: "user.disabled",
                entityType: "user",
                entityID: String(id),
                changes: ["active": .init(before: "true", after: "false")]
            )
        }
    }

    private func requireUser(_ db: Database, email: String) throws -> Int64 {
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM users WHERE email = ?", arguments: [email.trimmingSpaces.lowercased()]) else {
            throw AccountError(["email": "no user with the email \(email) in tenant '\(tenant.id)'"])
        }
        return id
    }
}
