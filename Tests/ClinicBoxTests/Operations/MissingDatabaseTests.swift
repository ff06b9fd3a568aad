import ClinicBox
import ClinicBoxCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// A tenant database that disappears is reported, and never silently replaced by an empty one.
@Suite struct MissingDatabaseTests {
    /// Without its ledger entry a later loss of the database would look like a new tenant, so a ledger that cannot
    /// be written is loud: the open fails with a message naming the entry, and the health report says why.
    @Test func aLedgerEntryThatCannotBeWrittenIsReportedNotIgnored() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha")
        // A file where the ledger's folder belongs: refused even to root, who ignores permissions.
        #expect(FileManager.default.createFile(atPath: workspace.data + "/.databases", contents: Data("not a folder".utf8)))
        let server = try await workspace.server()
        await #expect(throws: TenantStorageError.self) { _ = try await server.databases.database(for: TenantID("alpha")!, creating: true) }
        try await server.application.test(.router) { client in
            let problems = try await client.serverProblems(workspace).compactMap { $0["message"] as? String }
            #expect(
                problems.contains { $0.contains(".databases/alpha cannot be written") && $0.contains("is a writable folder with free space") },
                "\(problems)"
            )
        }
    }

    @Test func aDeletedDatabaseIsReportedAndNotRecreatedWhetherItWasOpenOrClosed() async throws {
        let workspace = try TestWorkspace()
        let server = try await TestUsers.server(workspace)
        let alpha = workspace.data + "/alpha.sqlite"
        try await server.application.test(.router) { client in
            let desk = try await APIClient.signIn(client, tenant: "alpha", email: "desk@example.com")
            _ = try await desk.create("patients", TestRecords.ada)

            // Deleted while open: the once-a-second check closes it, and no request writes into the unlinked file.
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: alpha + suffix) }
            server.databases.checkOpenFiles()
            let refused = try await desk.post("patients", ["first_name": "Grace", "last_name": "Hopper"])
            #expect(refused.status == .serviceUnavailable && refused.json["title"] as? String == "Tenant database unavailable")
            #expect(!FileManager.default.fileExists(atPath: alpha), "an empty database was created in its place")
            let problems = try await client.serverProblems(workspace).compactMap { $0["message"] as? String }
            #expect(
                problems.contains {
                    $0.contains("alpha.sqlite is missing, but this tenant has had a database here since")
                        && $0.contains("clinicbox restore --tenant alpha")
                }
            )
            // Another tenant is not touched.
            let beta = try await APIClient.signIn(client, tenant: "beta", email: "desk@example.com")
            _ = try await beta.create("patients", ["first_name": "Grace", "last_name": "Hopper"])

            // Deleted while closed (e.g. between restarts): the same refusal.
            server.databases.closeAll()
            #expect(try await desk.get("patients").status == .serviceUnavailable)
            #expect(!FileManager.default.fileExists(atPath: alpha))
        }
        // Starting this tenant empty on purpose: delete its ledger entry, as the message says. Its users are gone too.
        try FileManager.default.removeItem(atPath: workspace.data + "/.databases/alpha")
        let fresh = try await workspace.server()
        try await fresh.application.test(.router) { client in
            let signIn = try await TestUsers.signIn(client, tenant: "alpha", email: "boss@example.com")
            #expect(signIn.status == .unauthorized)
            #expect(!FileManager.default.fileExists(atPath: alpha), "a sign-in never creates a database; adding the first user does")
        }
    }
}
