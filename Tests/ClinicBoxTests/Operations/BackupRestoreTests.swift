import ClinicBox
import ClinicBoxCore
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Backups made while the server writes, restores the running server switches to, and scheduled backups.
@Suite struct BackupRestoreTests {
    @Test func aBackupTakenWhileWritesRunIsWholeAndFailsNoRequest() async throws {
        let workspace = try TestWorkspace()
        let server = try await TestUsers.server(workspace)
        let backups = TenantBackups(folder: workspace.root + "/backups")
        let alpha = TenantID("alpha")!
        try await server.application.test(.router) { client in
            let desk = try await APIClient.signIn(client, tenant: "alpha", email: "desk@example.com")
            let statuses = try await withThrowingTaskGroup(of: [HTTPResponse.Status].self) { group in
                for writer in 0..<4 {
                    group.addTask {
                        var statuses: [HTTPResponse.Status] = []
                        for index in 0..<25 {
                            statuses.append(try await desk.post("patients", ["first_name": "W\(writer)", "last_name": "N\(index)"]).status)
                        }
                        return statuses
                    }
                }
                group.addTask {
                    // The last two in the same second (a backup by command while the schedule runs): both are kept.
                    for second in [0, 1, 1] {
                        _ = try backups.make(alpha, databasePath: workspace.data + "/alpha.sqlite", now: Date(timeIntervalSince1970: Double(second)))
                    }
                    return []
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(statuses.count == 100 && statuses.allSatisfy { $0 == .created })
        }
        let made = backups.list(alpha)
        #expect(made.count == 3 && Set(made.map(\.file)).count == 3)
        #expect(made.map(\.file) == ["alpha-19700101T000000.000Z.sqlite", "alpha-19700101T000001.000Z.sqlite", "alpha-19700101T000001.001Z.sqlite"])
        for manifest in made {
            #expect(manifest.integrity == "ok" && manifest.schema.contains("patients.v1") && manifest.sha256.count == 64)
            let copy = try DatabaseQueue(path: backups.path(of: manifest))
            #expect(try await copy.read { db in try String.fetchOne(db, sql: "PRAGMA quick_check") } == "ok")
            let bytes = try #require(try FileManager.default.attributesOfItem(atPath: backups.path(of: manifest))[.size] as? Int)
            #expect(bytes == manifest.bytes)
        }
        // No temporary file is left that could pass for a backup.
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: backups.folder + "/alpha").allSatisfy {
                $0.hasSuffix(".sqlite") || $0.hasSuffix(".json")
            }
        )
    }

    @Test func aRestoreReplacesTheDataOfTheRunningServerAndKeepsTheOldDatabase() async throws {
        let workspace = try TestWorkspace()
        let server = try await TestUsers.server(workspace)
        let backups = TenantBackups(folder: workspace.root + "/backups")
        let (alpha, beta) = (TenantID("alpha")!, TenantID("beta")!)
        try await server.application.test(.router) { client in
            let desk = try await APIClient.signIn(client, tenant: "alpha", email: "desk@example.com")
            _ = try await desk.create("patients", ["first_name": "Ada", "last_name": "Lovelace"])
            let backup = try backups.make(alpha, databasePath: workspace.data + "/alpha.sqlite")
            _ = try await desk.create("patients", ["first_name": "Grace", "last_name": "Hopper"])
            #expect(try await TestRecords.patientNames(desk) == ["Hopper", "Lovelace"])

            let schema = TenantSchema.forTenant(features: ["patients"], catalog: .standard)
            let outcome = try await TenantRestore.run(backup.path, tenant: alpha, dataFolder: workspace.data, schema: schema)
            server.databases.checkOpenFiles()  // the server's maintenance does this every second
            #expect(try await TestRecords.patientNames(desk) == ["Lovelace"])
            // The token still works (users came back with the data) and new writes land in the restored database.
            _ = try await desk.create("patients", ["first_name": "Alan", "last_name": "Turing"])
            #expect(try await TestRecords.patientNames(desk) == ["Lovelace", "Turing"])

            let kept = try #require(outcome.keptAs)
            let old = try DatabaseQueue(path: kept)
            #expect(
                try await old.read { db in try String.fetchAll(db, sql: "SELECT last_name FROM patients ORDER BY last_name") } == [
                    "Hopper", "Lovelace",
                ]
            )

            // Refused, and nothing changes: another tenant's backup, a damaged file, a file from a newer ClinicBox.
            await #expect { try await TenantRestore.run(backup.path, tenant: beta, dataFolder: workspace.data, schema: schema) } throws: {
                "\($0)".contains("is the database of tenant 'alpha', not 'beta'")
            }
            let garbage = workspace.root + "/garbage.sqlite"
            try Data(repeating: 7, count: 8192).write(to: URL(fileURLWithPath: garbage))
            await #expect { try await TenantRestore.run(garbage, tenant: alpha, dataFolder: workspace.data, schema: schema) } throws: {
                "\($0)".contains("cannot be read as a SQLite database") || "\($0)".contains("not a ClinicBox tenant database")
            }
            let newer = workspace.root + "/newer.sqlite"
            try FileManager.default.copyItem(atPath: backup.path, toPath: newer)
            try await DatabaseQueue(path: newer).write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('patients.v99')")
            }
            await #expect { try await TenantRestore.run(newer, tenant: alpha, dataFolder: workspace.data, schema: schema) } throws: {
                "\($0)".contains("written by a newer ClinicBox (migrations patients.v99)")
            }
            server.databases.checkOpenFiles()
            #expect(try await TestRecords.patientNames(desk) == ["Lovelace", "Turing"])
        }
    }

    @Test func aRestoreReplacesADamagedDatabaseTheServerCouldNotOpen() async throws {
        let workspace = try TestWorkspace()
        let server = try await TestUsers.server(workspace)
        let backups = TenantBackups(folder: workspace.root + "/backups")
        let alpha = TenantID("alpha")!
        let live = workspace.data + "/alpha.sqlite"
        try await server.application.test(.router) { client in
            let desk = try await APIClient.signIn(client, tenant: "alpha", email: "desk@example.com")
            _ = try await desk.create("patients", ["first_name": "Ada", "last_name": "Lovelace"])
            let backup = try backups.make(alpha, databasePath: live)
            server.databases.closeAll()
            try Data(repeating: 0x55, count: 4096).write(to: URL(fileURLWithPath: live))  // garbage over the whole file
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: live + suffix) }
            #expect(try await desk.get("patients").status == .serviceUnavailable)

            let outcome = try await TenantRestore.run(
                backup.path,
                tenant: alpha,
                dataFolder: workspace.data,
                schema: .forTenant(features: ["patients"], catalog: .standard)
            )
            #expect(try Data(contentsOf: URL(fileURLWithPath: try #require(outcome.keptAs))) == Data(repeating: 0x55, count: 4096))
            #expect(try await TestRecords.patientNames(desk) == ["Lovelace"])
        }
    }

    @Test func theServerBacksUpOnItsScheduleKeepsOnlyTheNewestAndSkipsWhatHasNotChanged() async throws {
        let workspace = try TestWorkspace()
        for id in ["alpha", "delta"] { try workspace.writeTenant(id, extra: "backup:\n  every: 6h\n  keep: 2\n") }
        try workspace.writeTenant("beta", extra: "backup: {every: \"off\"}\n")
        try workspace.writeTenant("gamma")
        let server = try await workspace.server { $0.backupFolder = workspace.root + "/backups" }
        try await server.addUser("boss@example.com", role: .admin, password: TestUsers.password, to: ["alpha", "beta"])
        _ = try await server.databases.database(for: TenantID("delta")!, creating: true)  // a database with nothing in it
        let alpha = TenantID("alpha")!
        // gamma never had a database.
        func change() async throws {  // a commit, as any change through the server makes
            _ = try await server.accounts("alpha").create(
                .init(email: "\(UUID())@example.com", displayName: "New", role: .staff, password: TestUsers.password),
                by: .commandLine
            )
        }

        let start = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(await server.backups.runDue(now: start) == [alpha])
        #expect(await server.backups.runDue(now: start.addingTimeInterval(3600)).isEmpty)  // not due yet
        try await change()
        #expect(await server.backups.runDue(now: start.addingTimeInterval(6 * 3600)) == [alpha])
        try await change()
        #expect(await server.backups.runDue(now: start.addingTimeInterval(12 * 3600)) == [alpha])
        // Due again, but nothing changed: no new copy, and its backup counts as current.
        #expect(await server.backups.runDue(now: start.addingTimeInterval(18 * 3600)).isEmpty)
        #expect(server.backups.currentAsOf(alpha) == start.addingTimeInterval(18 * 3600))
        let kept = server.backups.backups.list(alpha)
        #expect(kept.map(\.createdAt) == ["2027-01-15T14:00:00Z", "2027-01-15T20:00:00Z"])
        #expect(server.backups.lastGoodBackup(alpha) == start.addingTimeInterval(12 * 3600))
        for id in ["beta", "gamma", "delta"] { #expect(server.backups.backups.list(TenantID(id)!).isEmpty, "\(id)") }
    }

    @Test func aWrongBackupScheduleIsReportedWithItsPlace() throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha", extra: "backup:\n  every: 6 hours\n  keep: 0\n  when: never\n")
        let messages = workspace.check().problems.map(\.description)
        let text = try String(contentsOfFile: workspace.tenants + "/alpha.yaml", encoding: .utf8)
        let line = try #require(text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("every: 6 hours") }) + 1
        #expect(
            messages.contains {
                $0.contains("alpha.yaml:\(line):10: ")
                    && $0.contains("backup.every: '6 hours' is not an interval; write a number of minutes, hours or days like 30m, 6h or 1d")
            }
        )
        #expect(messages.contains { $0.contains("backup.keep: 0 is out of range") })
        #expect(messages.contains { $0.contains("'when'") })
    }
}
