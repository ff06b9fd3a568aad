import ClinicBox
import ClinicBoxCore
import Foundation
import GRDB
import Logging
import Testing

/// Users and the audit trail, against real tenant databases.
@Suite struct AccountsTests {
    static func accounts(_ workspace: TestWorkspace, _ id: String = "alpha", extra: String = "") async throws -> UserAccounts {
        try workspace.writeTenant(id, extra: extra)
        return try TenantAccess.accounts(
            tenant: id,
            tenantsFolder: workspace.tenants,
            assetsFolder: workspace.assets,
            dataFolder: workspace.data,
            catalog: .standard
        )
    }

    static func newUser(_ email: String, role: Role = .staff, branches: [String] = []) -> UserAccounts.NewUser {
        .init(email: email, displayName: "Someone", role: role, branches: branches, password: "correct horse battery")
    }

    struct AuditRow: Sendable {
        var action: String
        var entityID: String?
        var clientAddress: String?
        var changes: String?
    }

    static func auditRows(_ accounts: UserAccounts) async throws -> [AuditRow] {
        try await accounts.database.read { db in
            try Row.fetchAll(db, sql: "SELECT action, entity_id, client_address, changes FROM audit_log ORDER BY id").map {
                AuditRow(action: $0["action"], entityID: $0["entity_id"], clientAddress: $0["client_address"], changes: $0["changes"])
            }
        }
    }

    /// The standard parameters, as a release build uses them (a second per hash in a debug build).
    @Test func passwordsAreScryptWithOWASPParametersAndVerify() throws {
        #expect(PasswordHasher.standard == .init(logRounds: 14, blockSize: 8, parallelism: 5))
        #expect(PasswordHasher.standard.memoryBytes == 16 << 20)
        let hash = try PasswordHasher.hash("correct horse battery", parameters: PasswordHasher.standard)
        let parts = hash.split(separator: "$")
        #expect(parts.count == 4 && parts[0] == "scrypt" && parts[1] == "ln=14,r=8,p=5")
        #expect(Data(base64Encoded: parts[2] + "==")?.count == 16 && Data(base64Encoded: parts[3] + "=")?.count == 32)
        #expect(PasswordHasher.verify("correct horse battery", against: hash))
        #expect(!PasswordHasher.verify("correct horse batterY", against: hash))
        #expect(!PasswordHasher.needsRehash(hash))
    }

    /// At the test suite's cost, which only changes N.
    @Test func hashesCarryTheirParametersAndSaltAndRefuseWhatTheyCannotRead() throws {
        let cost = TestWorkspace.passwordCost
        let hash = try PasswordHasher.hash("correct horse battery", parameters: cost)
        #expect(hash.hasPrefix("$scrypt$ln=10,r=8,p=1$"))
        #expect(try PasswordHasher.hash("correct horse battery", parameters: cost) != hash)  // a fresh salt each time
        #expect(PasswordHasher.verify("correct horse battery", against: hash))
        #expect(!PasswordHasher.verify("correct horse battery ", against: hash))
        #expect(!PasswordHasher.verify("", against: hash))
        // Nothing past 72 bytes is ignored (bcrypt's trap).
        let long = String(repeating: "a", count: 80)
        #expect(!PasswordHasher.verify(long + "x", against: try PasswordHasher.hash(long + "y", parameters: cost)))
        // A flipped bit in the stored hash, a changed parameter, or a stored form from elsewhere never matches.
        var flipped = Array(hash)
        flipped[flipped.count - 2] = flipped[flipped.count - 2] == "A" ? "B" : "A"
        #expect(!PasswordHasher.verify("correct horse battery", against: String(flipped)))
        #expect(!PasswordHasher.verify("correct horse battery", against: hash.replacingOccurrences(of: "ln=10", with: "ln=11")))
        for unreadable in [
            "not a hash", "", "$scrypt$ln=10,r=8$c2FsdA$aGFzaA", "$scrypt$ln=40,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + String(repeating: "A", count: 43),
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
        ] {
            #expect(!PasswordHasher.verify("anything", against: unreadable), "\(unreadable)")
        }
        #expect(PasswordHasher.isRetired("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA") && !PasswordHasher.isRetired(hash))
        // Weaker than what new hashes use: upgraded at the next sign-in (tested through the stack in AuthAPITests).
        #expect(
            PasswordHasher.needsRehash(
                try PasswordHasher.hash("correct horse battery", parameters: .init(logRounds: 10, blockSize: 1, parallelism: 1))
            )
        )
    }

    @Test(arguments: [
        ("short1234", "the password is 9 characters long; use at least 10"),
        (String(repeating: "ab", count: 65), "the password is 130 characters long; use at most 128"),
        ("aaaaaaaaaaaa", "the password repeats too few characters; use a passphrase of several words"),
        ("my-reception-pass", "the password must not contain the email address"),
        ("password12", "this password is on a list of commonly used and leaked passwords; choose another (a few unrelated words work well)"),
        ("1234567890", "this password is on a list of commonly used and leaked passwords; choose another (a few unrelated words work well)"),
        ("QwertyUiop", "this password is on a list of commonly used and leaked passwords; choose another (a few unrelated words work well)"),
    ])
    func weakPasswordsAreRefusedWithAReason(_ password: String, _ message: String) {
        #expect(PasswordPolicy.problem(with: password, email: "reception@example.com") == message)
    }

    @Test func theListHasAtLeastTenThousandPasswords() {
        #expect(PasswordPolicy.common.count >= 10_000 && PasswordPolicy.common.contains("iloveyou12"))
    }

    /// Through the real admin page: the clinic's own name is refused, a passphrase of unrelated words is not.
    @Test func aPasswordWithTheClinicsNameOrFromTheListIsRefusedOnTheUserPage() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("smile-dental", name: "Smile Dental Care")
        let server = try await workspace.server()
        try await server.addUser("boss@example.com", role: .admin, password: TestUsers.password, to: ["smile-dental"])
        try await server.application.test(.router) { client in
            var admin = WebBrowser(client)
            try await admin.signIn(tenant: "smile-dental", email: "boss@example.com", password: TestUsers.password)
            try await admin.get("/t/smile-dental/admin/users/new")
            for (password, message) in [
                ("SmileDental2026", "the password must not contain the clinic&#39;s name"),
                ("smile all day long", "the password must not contain the clinic&#39;s name"),
                ("password12", "commonly used and leaked passwords"),
            ] {
                let refused = try await admin.post(
                    "/t/smile-dental/admin/users",
                    ["email": "nurse@example.com", "display_name": "Nurse", "role": "clinician", "password": password]
                )
                #expect(refused.status == .unprocessableContent && refused.text.contains(message), "\(password)")
            }
            let created = try await admin.post(
                "/t/smile-dental/admin/users",
                ["email": "nurse@example.com", "display_name": "Nurse", "role": "clinician", "password": "dental floss every morning"]
            )
            #expect(created.status == .seeOther)
        }
    }

    @Test func creatingAUserWritesItsAuditRowInTheSameTransaction() async throws {
        let workspace = try TestWorkspace()
        let accounts = try await Self.accounts(workspace)
        let user = try await accounts.create(Self.newUser("Reception@Example.com", role: .admin), by: .commandLine)
        #expect(user.email == "reception@example.com")
        #expect(user.role == .admin)
        let rows = try await Self.auditRows(accounts)
        #expect(rows.count == 1)
        #expect(rows.first?.action == "user.created")
        #expect(rows.first?.entityID == String(user.id))
        #expect(rows.first?.clientAddress == "command line")
        let changes = rows.first?.changes ?? ""
        #expect(changes.contains("\"role\":{\"after\":\"admin\"}"))
        #expect(!changes.contains("correct horse"))
    }

    @Test func duplicateEmailsUnknownBranchesAndTheUserLimitAreRefused() async throws {
        let workspace = try TestWorkspace()
        let accounts = try await Self.accounts(workspace, extra: "limits: {max_users: 2}\nbranches: [{code: main, name: Main}]")
        _ = try await accounts.create(Self.newUser("a@example.com"), by: .commandLine)
        await #expect { try await accounts.create(Self.newUser("A@EXAMPLE.COM"), by: .commandLine) } throws: { error in
            (error as? AccountError)?.fieldErrors["email"] == "a user with the email a@example.com already exists in this tenant"
        }
        await #expect { try await accounts.create(Self.newUser("b@example.com", branches: ["north"]), by: .commandLine) } throws: { error in
            (error as? AccountError)?.fieldErrors["branches"] == "unknown branch north; this tenant's branches are main"
        }
        _ = try await accounts.create(Self.newUser("b@example.com", branches: ["main"]), by: .commandLine)
        await #expect { try await accounts.create(Self.newUser("c@example.com"), by: .commandLine) } throws: { error in
            (error as? AccountError)?.fieldErrors["email"] == "this tenant already has 2 active users, its limit (limits.max_users is 2)"
        }
        // A disabled user frees their seat.
        try await accounts.disable(email: "a@example.com", by: .commandLine)
        _ = try await accounts.create(Self.newUser("c@example.com"), by: .commandLine)
        #expect(try await accounts.list().map { "\($0.email) \($0.active)" } == ["a@example.com false", "b@example.com true", "c@example.com true"])
        // Refused attempts left no audit rows: 3 created + 1 disabled.
        #expect(try await Self.auditRows(accounts).map(\.action) == ["user.created", "user.created", "user.disabled", "user.created"])
    }

    @Test func theSameEmailInTwoTenantsIsTwoAccounts() async throws {
        let workspace = try TestWorkspace()
        let alpha = try await Self.accounts(workspace, "alpha")
        let beta = try await Self.accounts(workspace, "beta")
        _ = try await alpha.create(Self.newUser("same@example.com", role: .admin), by: .commandLine)
        _ = try await beta.create(Self.newUser("same@example.com", role: .staff), by: .commandLine)
        try await beta.setPassword(email: "same@example.com", to: "another long passphrase", by: .commandLine)
        #expect(try await alpha.user(email: "same@example.com")?.role == .admin)
        #expect(try await beta.user(email: "same@example.com")?.role == .staff)
        #expect(try await Self.auditRows(alpha).count == 1)
        #expect(try await Self.auditRows(beta).map(\.action) == ["user.created", "user.password_changed"])
    }

    @Test func auditLogIsAppendOnlyAtTheSQLLevel() async throws {
        let workspace = try TestWorkspace()
        let accounts = try await Self.accounts(workspace)
        _ = try await accounts.create(Self.newUser("a@example.com"), by: .commandLine)
        for sql in ["UPDATE audit_log SET action = 'nothing'", "DELETE FROM audit_log"] {
            await #expect {
                try await accounts.database.write { db in try db.execute(sql: sql) }
            } throws: { error in
                (error as? DatabaseError)?.message == "audit_log is append-only"
            }
        }
        #expect(try await Self.auditRows(accounts).first?.action == "user.created")
    }

    @Test func aRolledBackWriteLeavesNoAuditRow() async throws {
        struct Abort: Error {}
        let workspace = try TestWorkspace()
        let accounts = try await Self.accounts(workspace)
        await #expect(throws: Abort.self) {
            try await accounts.database.write { db in
                try AuditLog.record(db, actor: .commandLine, action: "test.change", entityType: "test", entityID: "1")
                throw Abort()
            }
        }
        #expect(try await Self.auditRows(accounts).isEmpty)
    }
}

extension AccountsTests {
    @Test(arguments: Role.allCases)
    func branchScopeLimitsEveryoneButAdmins(_ role: Role) {
        let limited = AuthenticatedUser(id: 1, email: "a@example.com", role: role, branches: ["north"], tokenID: nil)
        let unlimited = AuthenticatedUser(id: 2, email: "b@example.com", role: role, branches: [], tokenID: nil)
        #expect(limited.mayActIn(branch: "north"))
        #expect(limited.mayActIn(branch: "south") == (role == .admin))
        #expect(limited.branchFilter == (role == .admin ? nil : ["north"]))
        #expect(unlimited.mayActIn(branch: "south"))
        #expect(unlimited.branchFilter == nil)
    }
}
