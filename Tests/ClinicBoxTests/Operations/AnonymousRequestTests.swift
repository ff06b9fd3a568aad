import ClinicBox
import ClinicBoxCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Someone who knows no password must not be able to make the server write (issue #18, item 13): with
/// 10,000 tenants defined, failed sign-ins at random tenants created a database and a backup for each.
@Suite struct AnonymousRequestTests {
    @Test func requestsThatCannotSucceedCreateNoDatabaseAndNoBackup() async throws {
        let workspace = try TestWorkspace()
        let ids = (1...6).map { "clinic-\($0)" }
        for id in ids { try workspace.writeTenant(id, features: ["patients", "appointments"]) }
        let server = try await workspace.server { $0.backupFolder = workspace.root + "/backups" }
        try await server.application.test(.router) { client in
            for id in ids {
                let credentials = ByteBuffer(string: #"{"email":"admin@example.com","password":"a guessed passphrase"}"#)
                let token = try await client.execute(
                    uri: "/t/\(id)/api/v1/auth/token",
                    method: .post,
                    headers: [.contentType: "application/json"],
                    body: credentials
                )
                #expect(token.status == .unauthorized && token.json["title"] as? String == "Sign-in failed", "\(token.text)")
                let bearer = try await client.execute(uri: "/t/\(id)/api/v1/patients", method: .get, headers: [.authorization: "Bearer cbx_made-up"])
                #expect(bearer.status == .unauthorized)
                let cookie = try await client.execute(uri: "/t/\(id)/patients", method: .get, headers: [.cookie: "cbx_session=made-up"])
                #expect(cookie.status == .seeOther && cookie.headers[.location]?.hasPrefix("/t/\(id)/login") == true)

                var browser = WebBrowser(client)
                let login = try await browser.get("/t/\(id)/login")
                #expect(
                    login.text.contains("No one can sign in yet: this clinic has no admin.")
                        && login.text.contains("clinicbox user add --tenant \(id)")
                )
                let failed = try await browser.post("/t/\(id)/login", ["email": "admin@example.com", "password": "a guessed passphrase"])
                #expect(failed.status == .unauthorized && failed.text.contains("The email or password is wrong"))
                _ = try await client.execute(uri: "/t/\(id)/", method: .get)
                _ = try await client.execute(uri: "/t/\(id)/api/v1/tenant", method: .get)
            }
            // Enough failures from one client to be throttled: still nothing opened or written.
            for _ in 1...8 {
                _ = try await client.execute(
                    uri: "/t/\(ids[0])/api/v1/auth/token",
                    method: .post,
                    headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"email":"admin@example.com","password":"a guessed passphrase"}"#)
                )
            }
        }
        #expect(await server.backups.runDue().isEmpty)
        let written = try FileManager.default.contentsOfDirectory(atPath: workspace.data).filter {
            $0 != "system.sqlite" && !$0.hasPrefix("system.sqlite-")
        }
        #expect(written.isEmpty, "the data folder gained \(written)")
        let backups = (try? FileManager.default.contentsOfDirectory(atPath: workspace.root + "/backups")) ?? []
        #expect(backups.isEmpty, "backups: \(backups)")
        #expect(server.databases.openCount == 0)

        // What puts data in a database creates it: the first user, as `clinicbox user add` adds one.
        try await server.addUser("admin@example.com", role: .admin, password: TestUsers.password, to: [ids[1]])
        #expect(FileManager.default.fileExists(atPath: workspace.data + "/\(ids[1]).sqlite"))
        try await server.application.test(.router) { client in
            let login = try await client.execute(uri: "/t/\(ids[1])/login", method: .get)
            #expect(!login.text.contains("No one can sign in yet"))
            #expect(try await TestUsers.signIn(client, tenant: ids[1], email: "admin@example.com").status == .ok)
        }
    }
}
