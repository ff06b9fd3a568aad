import ClinicBox
import ClinicBoxCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Bearer tokens, API keys, throttling, permissions and the audit API, through the real HTTP stack.
@Suite struct AuthAPITests {
    @Test func passwordBuysATokenThatOnlyItsTenantAccepts() async throws {
        let scenario = try await ClinicScenario(tenant: "") { try await TestUsers.server($0) }
        let server = scenario.server
        try await scenario.run { session in
            let signIn = try await TestUsers.signIn(session.client, email: "Boss@Example.com")
            #expect(signIn.status == .ok)
            let token = try #require(signIn.json["token"] as? String)
            #expect(token.hasPrefix("cbx_"))
            #expect(signIn.json["expires_at"] is String)

            let mine = try await session.client.execute(uri: "/t/alpha/api/v1/auth/tokens", method: .get, headers: TestUsers.bearer(token))
            #expect(mine.status == .ok)
            // The same token at another tenant (which has a user with the same email) is no token at all.
            let replay = try await session.client.execute(uri: "/t/beta/api/v1/auth/tokens", method: .get, headers: TestUsers.bearer(token))
            #expect(replay.status == .unauthorized)
            #expect(replay.json["title"] as? String == "Invalid token")
            let none = try await session.client.execute(uri: "/t/alpha/api/v1/auth/tokens", method: .get)
            #expect(none.status == .unauthorized)
            #expect(none.headers[.wwwAuthenticate] == "Bearer")
        }
        // Stored only as a hash.
        let database = try await server.databases.database(for: TenantID("alpha")!, creating: true)
        let stored = try await database.read { db in try Data.fetchAll(db, sql: "SELECT token_hash FROM access_tokens") }
        #expect(stored.count == 1 && stored[0].count == 32)
    }

    /// A hash made with weaker parameters is replaced by one with today's at the next successful sign-in, and a
    /// wrong password changes nothing; a hash from before scrypt (Argon2id) cannot be checked and signs nobody in.
    @Test func aWeakerHashIsUpgradedAtSignInAndARetiredOneSignsNobodyIn() async throws {
        let workspace = try TestWorkspace()
        let server = try await TestUsers.server(workspace)
        let database = try await server.databases.database(for: TenantID("alpha")!, creating: true)
        let weak = try PasswordHasher.hash(TestUsers.password, parameters: .init(logRounds: 10, blockSize: 1, parallelism: 1))
        let retired = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"
        try await database.write { db in
            try db.execute(sql: "UPDATE users SET password_hash = ? WHERE email = 'boss@example.com'", arguments: [weak])
            try db.execute(sql: "UPDATE users SET password_hash = ? WHERE email = 'desk@example.com'", arguments: [retired])
        }
        @Sendable func stored(_ email: String) async throws -> String {
            try await database.read { db in try String.fetchOne(db, sql: "SELECT password_hash FROM users WHERE email = ?", arguments: [email]) ?? ""
            }
        }
        try await server.application.test(.router) { client in
            #expect(try await TestUsers.signIn(client, email: "boss@example.com", password: "not the password").status == .unauthorized)
            #expect(try await stored("boss@example.com") == weak)
            #expect(try await TestUsers.signIn(client, email: "boss@example.com").status == .ok)
            let upgraded = try await stored("boss@example.com")
            #expect(upgraded.hasPrefix("$scrypt$\(PasswordHasher.current)$") && upgraded != weak)
            #expect(try await TestUsers.signIn(client, email: "boss@example.com").status == .ok)
            #expect(try await stored("boss@example.com") == upgraded)  // already current: left alone

            #expect(try await TestUsers.signIn(client, email: "desk@example.com").status == .unauthorized)
            #expect(try await stored("desk@example.com") == retired)
        }
    }

    @Test func wrongPasswordAndUnknownEmailLookTheSame() async throws {
        let scenario = try await ClinicScenario(tenant: "") { try await TestUsers.server($0) }
        try await scenario.run { session in
            var timings: [String: Duration] = [:]
            var bodies: [String: String] = [:]
            // Alternating rounds, keeping each kind's fastest: other tests running in parallel only ever add time.
            for _ in 0..<3 {
                for (label, email, password) in [
                    ("wrong", "boss@example.com", "not the password"), ("unknown", "nobody@example.com", TestUsers.password),
                ] {
                    let start = ContinuousClock.now
                    let response = try await TestUsers.signIn(session.client, email: email, password: password)
                    timings[label] = min(timings[label] ?? .seconds(1000), ContinuousClock.now - start)
                    #expect(response.status == .unauthorized)
                    bodies[label] = "\(response.json["title"] ?? "") \(response.json["detail"] ?? "")"
                }
            }
            #expect(bodies["wrong"] == bodies["unknown"])
            // An unknown email still pays for one Argon2id verification. Load from parallel tests only adds time, so
            // its fastest attempt is compared with the fastest of a few direct verifications, not with another timing
            // that load may have stretched.
            var verification = Duration.seconds(1000)
            for _ in 0..<3 {
                let start = ContinuousClock.now
                _ = PasswordHasher.verify("not the password", against: PasswordHasher.decoy)
                verification = min(verification, ContinuousClock.now - start)
            }
            #expect(
                timings["unknown"]! > verification / 2,
                "unknown email answered in \(timings["unknown"]!), one verification takes \(verification)"
            )
            #expect(timings["wrong"]! > verification / 2)
            let extra = try await session.client.execute(
                uri: "/t/alpha/api/v1/auth/token",
                method: .post,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"email":"boss@example.com","password":"x","remember":true}"#)
            )
            #expect(extra.status == .unprocessableContent)
            #expect((extra.json["errors"] as? [String: String])?["remember"] == "unknown field")
            let missing = try await session.client.execute(
                uri: "/t/alpha/api/v1/auth/token",
                method: .post,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"email":"boss@example.com","password":7}"#)
            )
            #expect(missing.status == .unprocessableContent)
            #expect(missing.fieldErrors == ["password": "must be a string, not a number"])
        }
    }

    @Test func passwordsAreUsedExactlyAsTyped() async throws {
        let workspace = try TestWorkspace()
        let server = try await TestUsers.server(workspace)
        let spaced = "  spaces around my phrase  "
        try await server.addUser("padded@example.com", role: .staff, password: spaced, to: ["alpha"])
        try await server.application.test(.router) { client in
            let exact = try await TestUsers.signIn(client, email: "padded@example.com", password: spaced)
            #expect(exact.status == .ok)
            let trimmed = try await TestUsers.signIn(client, email: "padded@example.com", password: spaced.trimmingCharacters(in: .whitespaces))
            #expect(trimmed.status == .unauthorized)
        }
    }

    @Test func repeatedFailuresAreThrottledWithRetryAfter() async throws {
        let scenario = try await ClinicScenario(tenant: "") { try await TestUsers.server($0) }
        try await scenario.run { session in
            for _ in 0..<5 {
                #expect(try await TestUsers.signIn(session.client, email: "desk@example.com", password: "wrong password").status == .unauthorized)
            }
            let blocked = try await TestUsers.signIn(session.client, email: "desk@example.com")
            #expect(blocked.status == .tooManyRequests)
            #expect(Int(blocked.headers[.retryAfter] ?? "") ?? 0 >= 1)
            // Another user of the same tenant is not affected.
            #expect(try await TestUsers.signIn(session.client, email: "boss@example.com").status == .ok)
            // The lock is short: once it passes, the right password works.
            try await Task.sleep(for: .seconds(Int(blocked.headers[.retryAfter]!)!))
            #expect(try await TestUsers.signIn(session.client, email: "desk@example.com").status == .ok)
        }
    }

    /// Every test session.client shares one address, as every browser behind a proxy without `--trust-proxy` does.
    @Test func failuresAtOneTenantDoNotLockOutAnotherTenantFromTheSameAddress() async throws {
        let scenario = try await ClinicScenario(tenant: "") { try await TestUsers.server($0) }
        try await scenario.run { session in
            for attempt in 0..<20 {
                #expect(
                    try await TestUsers.signIn(session.client, tenant: "alpha", email: "guess\(attempt)@example.com", password: "wrong password")
                        .status
                        == .unauthorized
                )
            }
            let alpha = try await TestUsers.signIn(session.client, tenant: "alpha", email: "boss@example.com")
            #expect(alpha.status == .tooManyRequests)  // this address is guessing at alpha
            #expect(try await TestUsers.signIn(session.client, tenant: "beta", email: "boss@example.com").status == .ok)
            #expect(try await TestUsers.signIn(session.client, tenant: "beta", email: "desk@example.com").status == .ok)
        }
    }

    @Test func revokedTokensAndDisabledUsersAreRefused() async throws {
        let scenario = try await ClinicScenario(tenant: "") { try await TestUsers.server($0) }
        let server = scenario.server
        try await scenario.run { session in
            let first = try await TestUsers.token(session.client, email: "desk@example.com")
            let second = try await TestUsers.token(session.client, email: "desk@example.com")
            let listed = try await session.client.execute(uri: "/t/alpha/api/v1/auth/tokens", method: .get, headers: TestUsers.bearer(first))
            let ids = (try JSONSerialization.jsonObject(with: Data(buffer: listed.body)) as? [[String: Any]])?.compactMap { $0["id"] as? Int } ?? []
            #expect(ids.count == 2)
            let revoke = try await session.client.execute(
                uri: "/t/alpha/api/v1/auth/tokens/\(ids[0])",
                method: .delete,
                headers: TestUsers.bearer(second)
            )
            #expect(revoke.status == .noContent)
            #expect(
                try await session.client.execute(uri: "/t/alpha/api/v1/auth/tokens", method: .get, headers: TestUsers.bearer(first)).status
                    == .unauthorized
            )
            #expect(
                try await session.client.execute(uri: "/t/alpha/api/v1/auth/tokens", method: .get, headers: TestUsers.bearer(second)).status == .ok
            )

            try await server.accounts("alpha").disable(email: "desk@example.com", by: .commandLine)
            #expect(
                try await session.client.execute(uri: "/t/alpha/api/v1/auth/tokens", method: .get, headers: TestUsers.bearer(second)).status
                    == .unauthorized
            )
        }
    }

    @Test func apiKeysAreForAdminsAndDenialsAreAudited() async throws {
        let scenario = try await ClinicScenario(tenant: "") { try await TestUsers.server($0) }
        try await scenario.run { session in
            let staff = try await TestUsers.token(session.client, email: "desk@example.com")
            let admin = try await TestUsers.token(session.client, email: "boss@example.com")
            let body = ByteBuffer(string: #"{"name":"lab integration"}"#)
            let denied = try await session.client.execute(
                uri: "/t/alpha/api/v1/auth/api-keys",
                method: .post,
                headers: TestUsers.bearer(staff),
                body: body
            )
            #expect(denied.status == .forbidden)
            #expect(denied.json["detail"] as? String == "Only admins can manage API keys here. (The action is api_keys.manage; your role is staff.)")
            #expect(
                try await session.client.execute(uri: "/t/alpha/api/v1/audit", method: .get, headers: TestUsers.bearer(staff)).status == .forbidden
            )

            let created = try await session.client.execute(
                uri: "/t/alpha/api/v1/auth/api-keys",
                method: .post,
                headers: TestUsers.bearerJSON(admin),
                body: body
            )
            #expect(created.status == .created)
            let key = try #require(created.json["token"] as? String)

            let audit = try await session.client.execute(
                uri: "/t/alpha/api/v1/audit?action=auth.denied",
                method: .get,
                headers: TestUsers.bearer(key)
            )
            #expect(audit.status == .ok)
            let entries = audit.json["entries"] as? [[String: Any]] ?? []
            #expect(entries.map { $0["entity_id"] as? String } == ["audit.read", "api_keys.manage"])
            #expect(entries.allSatisfy { $0["user_email"] as? String == "desk@example.com" })
        }
    }

    @Test func auditListsSignInsWithFiltersPagingAndCSV() async throws {
        let scenario = try await ClinicScenario(tenant: "") { try await TestUsers.server($0) }
        let server = scenario.server
        try await scenario.run { session in
            _ = try await TestUsers.signIn(session.client, email: "desk@example.com", password: "wrong password")
            let admin = try await TestUsers.token(session.client, email: "boss@example.com")
            let all = try await session.client.execute(uri: "/t/alpha/api/v1/audit", method: .get, headers: TestUsers.bearer(admin))
            let actions = (all.json["entries"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
            #expect(actions == ["auth.token_issued", "auth.login", "auth.login_failed", "user.created", "user.created"])

            let page = try await session.client.execute(uri: "/t/alpha/api/v1/audit?limit=2", method: .get, headers: TestUsers.bearer(admin))
            let next = try #require(page.json["next_before"] as? Int)
            let rest = try await session.client.execute(
                uri: "/t/alpha/api/v1/audit?limit=10&before=\(next)",
                method: .get,
                headers: TestUsers.bearer(admin)
            )
            #expect((rest.json["entries"] as? [[String: Any]])?.count == 3)
            #expect(rest.json["next_before"] == nil)
            for bad in ["limit=0", "limit=500", "limit=ten", "before=-3", "before=x"] {
                let refused = try await session.client.execute(uri: "/t/alpha/api/v1/audit?\(bad)", method: .get, headers: TestUsers.bearer(admin))
                #expect(refused.status == .badRequest, "\(bad)")
                #expect(refused.fieldErrors.keys.first == String(bad.prefix { $0 != "=" }), "\(bad)")
            }

            let csv = try await session.client.execute(
                uri: "/t/alpha/api/v1/audit?format=csv&action=auth.login_failed",
                method: .get,
                headers: TestUsers.bearer(admin)
            )
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            let lines = csv.text.split(separator: "\r\n")
            #expect(lines.count == 2)
            #expect(lines[1].contains(",auth.login_failed,user,"))
            #expect(lines[1].contains("desk@example.com"))
        }
        // Beta's audit trail knows nothing of alpha's sign-ins.
        let beta = try await server.databases.database(for: TenantID("beta")!, creating: true)
        #expect(try await beta.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_log WHERE action LIKE 'auth.%'") } == 0)
    }
}

extension AuthAPITests {
    @Test func anotherTenantsRecordIDLooksExactlyLikeAMissingOne() async throws {
        let scenario = try await ClinicScenario(tenant: "") { try await TestUsers.server($0) }
        try await scenario.run { session in
            // Alpha holds tokens 1–3; beta only token 1.
            _ = try await TestUsers.token(session.client, tenant: "alpha", email: "boss@example.com")
            _ = try await TestUsers.token(session.client, tenant: "alpha", email: "boss@example.com")
            let alphaToken = try await TestUsers.token(session.client, tenant: "alpha", email: "boss@example.com")
            let betaToken = try await TestUsers.token(session.client, tenant: "beta", email: "boss@example.com")
            let foreign = try await session.client.execute(uri: "/t/beta/api/v1/auth/tokens/3", method: .delete, headers: TestUsers.bearer(betaToken))
            let missing = try await session.client.execute(
                uri: "/t/beta/api/v1/auth/tokens/999999",
                method: .delete,
                headers: TestUsers.bearer(betaToken)
            )
            #expect(foreign.status == .notFound)
            #expect(foreign.json["title"] as? String == missing.json["title"] as? String)
            #expect(foreign.json["detail"] as? String == missing.json["detail"] as? String)
            // And alpha's token is untouched.
            #expect(
                try await session.client.execute(uri: "/t/alpha/api/v1/auth/tokens", method: .get, headers: TestUsers.bearer(alphaToken)).status
                    == .ok
            )
        }
    }

    @Test(arguments: Role.allCases)
    func everyRoleAgainstEveryModuleAction(_ role: Role) {
        // The issue's words: admin everything; manager everything in their branches; clinician clinical work
        // (prescriptions, treatments, dispensing); staff front desk and till (patients, appointments, sales).
        // Clinical content (#17): clinicians read and write it, managers read it, the front desk does not see it.
        let expected: [Role: Set<String>] = [
            .manager: Set(FeatureCatalog.standard.permissions.actions).subtracting([
                "users.manage", "audit.read", "api_keys.manage", "tokens.manage_all", "tenant.config.read", "clinical.write",
                "patients.allergies.write", "visits.sign",
                "patients.documents.write", "patients.merge", "patients.import", "patients.export",
            ]),
            .clinician: [
                "patients.read", "patients.write", "patients.allergies.write", "clinical.read", "clinical.write", "visits.sign",
                "patients.documents.write",
                "patients.merge", "patients.export", "appointments.read", "appointments.write", "treatments.read", "treatments.write",
                "prescriptions.read", "prescriptions.write", "prescriptions.dispense", "inventory.read", "billing.read",
            ],
            // The front desk files non-clinical documents (an ID or insurance card); a clinical one needs clinical.write.
            .staff: [
                "patients.read", "patients.write", "patients.documents.write", "appointments.read", "appointments.write", "inventory.read",
                "sales.read", "sales.write", "billing.read", "billing.write", "billing.cash_up",
            ],
        ]
        #expect(FeatureCatalog.standard.permissions.actions.count == 33)  // 5 account actions + 28 declared by the modules
        for action in FeatureCatalog.standard.permissions.actions {
            let allowed = role == .admin || expected[role]!.contains(action)
            #expect(FeatureCatalog.standard.permissions.allows(role, action, within: nil) == allowed, "\(role) × \(action)")
        }
        #expect(!FeatureCatalog.standard.permissions.allows(role, "patients.raed", within: nil))  // unknown actions fail closed
    }

    @Test(arguments: Role.allCases)
    func everyRoleAgainstEveryAccountAction(_ role: Role) {
        let actions = [
            Permissions.manageUsers, Permissions.readAudit, Permissions.manageAPIKeys, Permissions.manageAllTokens, Permissions.readTenantConfig,
        ]
        for action in actions {
            #expect(FeatureCatalog.standard.permissions.allows(role, action.name, within: nil) == (role == .admin), "\(role) × \(action)")
        }
    }
}

extension AuthAPITests {
    @Test func passwordChangeRevokesTokensButNotAPIKeys() async throws {
        let workspace = try TestWorkspace()
        let server = try await TestUsers.server(workspace)
        let accounts = try await server.accounts("alpha")
        try await server.application.test(.router) { client in
            let token = try await TestUsers.token(client, email: "boss@example.com")
            let created = try await client.execute(
                uri: "/t/alpha/api/v1/auth/api-keys",
                method: .post,
                headers: TestUsers.bearerJSON(token),
                body: ByteBuffer(string: #"{"name":"lab"}"#)
            )
            let key = try #require(created.json["token"] as? String)
            try await accounts.setPassword(email: "boss@example.com", to: "a brand new passphrase", by: .commandLine)
            #expect(
                try await client.execute(uri: "/t/alpha/api/v1/auth/tokens", method: .get, headers: TestUsers.bearer(token)).status == .unauthorized
            )
            #expect(try await client.execute(uri: "/t/alpha/api/v1/auth/tokens", method: .get, headers: TestUsers.bearer(key)).status == .ok)
        }
    }
}
