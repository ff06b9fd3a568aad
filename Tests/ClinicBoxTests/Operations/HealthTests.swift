import ClinicBox
import ClinicBoxCore
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `/readyz` and a tenant's health as its admins see it.
@Suite struct HealthTests {
    @Test func readinessFailsWhenTheDataDiskIsTooFullOrTheFolderRefusesFiles() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha")
        let ready = try await workspace.server()
        try await ready.application.test(.router) { client in
            let answer = try await client.execute(uri: "/readyz", method: .get)
            #expect(answer.status == .ok && answer.json["status"] as? String == "ready" && answer.json["tenants"] as? Int == 1)
        }
        let full = try await workspace.server { $0.minimumFreeDiskBytes = .max }
        try await full.application.test(.router) { client in
            let answer = try await client.execute(uri: "/readyz", method: .get)
            #expect(answer.status == .serviceUnavailable && answer.text.contains("free on the data disk; at least"))
        }
        // A data folder that takes no new file. Permissions would not stop root (CI runs as root), so the folder is
        // moved away and a plain file put where it was: no one can create a file inside that.
        try FileManager.default.moveItem(atPath: workspace.data, toPath: workspace.data + ".moved")
        defer {
            try? FileManager.default.removeItem(atPath: workspace.data)
            try? FileManager.default.moveItem(atPath: workspace.data + ".moved", toPath: workspace.data)
        }
        #expect(FileManager.default.createFile(atPath: workspace.data, contents: Data("not a folder".utf8)))
        try await ready.application.test(.router) { client in
            let answer = try await client.execute(uri: "/readyz", method: .get)
            #expect(answer.status == .serviceUnavailable && answer.text.contains("does not take new files"), "\(answer.text)")
        }
    }

    @Test func aTenantsHealthShowsItsDatabaseSchemaAndBackupAndADamagedOneSaysWhy() async throws {
        let (workspace, server, _) = try await SystemAdminFixture.server()
        try workspace.writeTenant("beta")
        await server.reloader.reload()
        try await server.addUser("boss@example.com", role: .admin, password: TestUsers.password, to: ["alpha", "beta"])
        await server.backups.runDue()  // the default schedule: both are due at once
        server.databases.closeAll()
        try Data(repeating: 0, count: 4096).write(to: URL(fileURLWithPath: workspace.data + "/beta.sqlite"))
        try? FileManager.default.removeItem(atPath: workspace.data + "/beta.sqlite-wal")

        try await server.application.test(.router) { client in
            let root = try await SystemAdminFixture.token(client, "root@example.com")
            let alpha = try await SystemAdminFixture.call(client, .get, "/api/tenants/alpha/health", root).json
            #expect(alpha["status"] as? String == "ok")
            let database = try #require(alpha["database"] as? [String: Any])
            #expect(database["opens"] as? Bool == true && database["quick_check"] as? String == "ok" && (database["bytes"] as? Int ?? 0) > 0)
            #expect((database["schema"] as? [String])?.contains("patients.v1") == true)
            let backup = try #require(alpha["backup"] as? [String: Any])
            #expect(
                backup["last"] is String && (backup["age_seconds"] as? Int ?? -1) >= 0 && backup["every"] as? String == "1d"
                    && backup["keep"] as? Int == 14
            )

            let beta = try await SystemAdminFixture.call(client, .get, "/api/tenants/beta/health", root).json
            #expect(beta["status"] as? String == "problem")
            #expect(((beta["database"] as? [String: Any])?["problem"] as? String)?.contains("is not a SQLite database") == true)
            #expect(try await client.execute(uri: "/api/tenants/alpha/health", method: .get).status == .unauthorized)
        }
    }
}
