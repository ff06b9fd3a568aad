import ClinicBox
import ClinicBoxCore
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// System administrators' tokens: listed and revoked by their owner, ended by a password change or by disabling.
@Suite struct SystemAdminTests {
    @Test func anAdministratorListsAndRevokesOwnTokensOnly() async throws {
        let (workspace, server, _) = try await SystemAdminFixture.server()
        defer { withExtendedLifetime(workspace) {} }  // its deinit removes the folders
        try await server.application.test(.router) { client in
            let first = try await SystemAdminFixture.token(client, "root@example.com")
            let second = try await SystemAdminFixture.token(client, "root@example.com")
            let others = try await SystemAdminFixture.token(client, "other@example.com")

            let listed = try await SystemAdminFixture.call(client, .get, "/api/system/tokens", first)
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(buffer: listed.body)) as? [[String: Any]])
            #expect(rows.count == 2)
            #expect(!listed.text.contains(first), "the token itself is never shown again")
            let firstID = try #require(rows.first?["id"] as? Int)

            // Another administrator's token id is "no such token" to this one, and stays valid.
            let otherRows =
                try JSONSerialization.jsonObject(
                    with: Data(buffer: try await SystemAdminFixture.call(client, .get, "/api/system/tokens", others).body)
                ) as? [[String: Any]]
            let otherID = try #require(otherRows?.first?["id"] as? Int)
            #expect(try await SystemAdminFixture.call(client, .delete, "/api/system/tokens/\(otherID)", first).status == .notFound)
            #expect(try await SystemAdminFixture.call(client, .get, "/api/tenants", others).status == .ok)

            #expect(try await SystemAdminFixture.call(client, .delete, "/api/system/tokens/\(firstID)", second).status == .noContent)
            #expect(try await SystemAdminFixture.call(client, .get, "/api/tenants", first).status == .unauthorized)
            #expect(try await SystemAdminFixture.call(client, .get, "/api/system/tokens", first).status == .unauthorized)
            #expect(try await SystemAdminFixture.call(client, .get, "/api/tenants", second).status == .ok)
            #expect(try await SystemAdminFixture.call(client, .delete, "/api/system/tokens/\(firstID)", second).status == .notFound)
            #expect(try await SystemAdminFixture.call(client, .get, "/api/system/tokens", "cbx_not-a-system-token").status == .unauthorized)
        }
    }

    @Test func passwordChangeAndDisablingEndEveryToken() async throws {
        let (workspace, server, admins) = try await SystemAdminFixture.server()
        defer { withExtendedLifetime(workspace) {} }
        try await server.application.test(.router) { client in
            let root = try await SystemAdminFixture.token(client, "root@example.com")
            let other = try await SystemAdminFixture.token(client, "other@example.com")

            try await admins.setPassword(email: "root@example.com", to: "a brand new passphrase")
            #expect(try await SystemAdminFixture.call(client, .get, "/api/tenants", root).status == .unauthorized)
            #expect(try await SystemAdminFixture.signIn(client, "root@example.com").status == .unauthorized)
            #expect(try await SystemAdminFixture.signIn(client, "root@example.com", password: "a brand new passphrase").status == .ok)

            try await admins.disable(email: "other@example.com")
            #expect(try await SystemAdminFixture.call(client, .get, "/api/tenants", other).status == .unauthorized)
            #expect(try await SystemAdminFixture.signIn(client, "other@example.com").status == .unauthorized)
        }
        let listed = try await admins.list()
        #expect(listed.map { "\($0.email) \($0.active)" } == ["other@example.com false", "root@example.com true"])
        await #expect(throws: AccountError.self) { try await admins.disable(email: "nobody@example.com") }
        await #expect(throws: AccountError.self) { try await admins.setPassword(email: "root@example.com", to: "short") }
    }

    @Test func everyChangeIsAuditedInSystemDatabase() async throws {
        let (workspace, server, admins) = try await SystemAdminFixture.server()
        try await server.application.test(.router) { client in
            let token = try await SystemAdminFixture.token(client, "root@example.com")
            let id = try #require(
                try JSONSerialization.jsonObject(
                    with: Data(buffer: try await SystemAdminFixture.call(client, .get, "/api/system/tokens", token).body)
                ) as? [[String: Any]]
            )
            #expect(try await SystemAdminFixture.call(client, .delete, "/api/system/tokens/\(id[0]["id"] as! Int)", token).status == .noContent)
        }
        try await admins.setPassword(email: "root@example.com", to: "a brand new passphrase")
        try await admins.disable(email: "other@example.com")
        let actions = try await DatabaseQueue(path: workspace.data + "/system.sqlite").read { db in
            try String.fetchAll(db, sql: "SELECT action FROM audit_log ORDER BY id")
        }
        #expect(actions == ["admin.created", "admin.created", "admin.login", "admin.token_revoked", "admin.password_changed", "admin.disabled"])
    }
}
