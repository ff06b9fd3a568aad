import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import ClinicBox
@testable import ClinicBoxCore

/// One SQLite file per tenant, against real files: created on first use only, hardened, never silently
/// replaced, isolated, capped in how many are open, and migrated tenant by tenant.
@Suite struct TenantStorageTests {
    /// Core schema plus a `notes` table, standing in for a feature module's data.
    static let notesSchema = TenantSchema.core.appending(
        TenantSchema(steps: [
            .init(id: "test.v1") { db, _ in try db.execute(sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL) STRICT") }
        ])
    )

    static func databases(_ workspace: TestWorkspace, schema: TenantSchema = notesSchema, maximumOpen: Int = 200) -> TenantDatabases {
        var options = TenantDatabases.Options()
        options.maximumOpen = maximumOpen
        return TenantDatabases(folder: workspace.data, options: options, logger: Logger(label: "test")) { _ in schema }
    }

    static let alpha = TenantID("alpha")!
    static let beta = TenantID("beta")!

    @Test func databaseIsCreatedOnFirstUseOnly() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha")
        let server = try await workspace.server()
        try await server.application.test(.router) { client in
            _ = try await client.execute(uri: "/t/alpha/api/v1/tenant", method: .get)
            _ = try await client.execute(uri: "/healthz", method: .get)
        }
        #expect(!FileManager.default.fileExists(atPath: workspace.data + "/alpha.sqlite"))
        let database = try await server.databases.database(for: Self.alpha, creating: true)
        #expect(database.path == workspace.data + "/alpha.sqlite")
        #expect(FileManager.default.fileExists(atPath: database.path))
    }

    @Test func connectionsAreDurableAndDefensive() async throws {
        let workspace = try TestWorkspace()
        let database = try await Self.databases(workspace).database(for: Self.alpha, creating: true)
        let pragmas = try await database.read { db in
            (
                try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"),
                try Int.fetchOne(db, sql: "PRAGMA foreign_keys"), try Int.fetchOne(db, sql: "PRAGMA trusted_schema"),
                try Int.fetchOne(db, sql: "PRAGMA application_id")
            )
        }
        #expect(pragmas.0 == "wal")
        #expect(pragmas.1 == 2)  // FULL
        // The writer too: it is the connection that commits (GRDB's pool sets it to NORMAL when it turns on WAL).
        #expect(try await database.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") } == 2)
        #expect(pragmas.2 == 1)
        #expect(pragmas.3 == 0)
        #expect(pragmas.4 == Int(TenantSchema.applicationID))
        let attachPath = workspace.root + "/other.sqlite"
        await #expect(throws: DatabaseError.self) {
            try await database.write { db in try db.execute(sql: "ATTACH DATABASE ? AS other", arguments: [attachPath]) }
        }
        #expect(!FileManager.default.fileExists(atPath: attachPath))
        // Defensive mode: the schema cannot be corrupted through writable_schema.
        await #expect(throws: DatabaseError.self) {
            try await database.write { db in
                try db.execute(sql: "PRAGMA writable_schema = ON")
                try db.execute(sql: "UPDATE sqlite_schema SET sql = 'garbage' WHERE name = 'notes'")
            }
        }
    }

    enum Damage: String, CaseIterable, Sendable {
        case empty, garbage, truncated
    }

    @Test(arguments: Damage.allCases)
    func damagedFileIsReportedAndNeverReplaced(_ damage: Damage) async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha")
        let path = workspace.data + "/alpha.sqlite"
        switch damage {
        case .empty:
            #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        case .garbage:
            #expect(FileManager.default.createFile(atPath: path, contents: Data(repeating: 0x41, count: 8192)))
        case .truncated:
            try await Self.fillAndClose(workspace, Self.alpha, rows: 500)
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            try data.prefix(data.count / 2 + 100).write(to: URL(fileURLWithPath: path))
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let server = try await workspace.server()
        let expected = ["empty": "is empty (0 bytes)", "garbage": "is not a SQLite database", "truncated": "is truncated"][damage.rawValue]!
        await #expect {
            _ = try await server.databases.database(for: Self.alpha, creating: true)
        } throws: { error in
            (error as? TenantStorageError)?.message.contains(expected) == true
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        try await server.application.test(.router) { client in
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.json["status"] as? String == "degraded")
            let errors = try await client.serverProblems(workspace)
            #expect(errors.contains { $0["tenant"] as? String == "alpha" && ($0["message"] as? String)?.contains(expected) == true })
        }
    }

    @Test func fileOfAnotherTenantIsRefused() async throws {
        let workspace = try TestWorkspace()
        try await Self.fillAndClose(workspace, Self.alpha, rows: 1)
        try FileManager.default.copyItem(atPath: workspace.data + "/alpha.sqlite", toPath: workspace.data + "/beta.sqlite")
        await #expect {
            _ = try await Self.databases(workspace).database(for: Self.beta, creating: true)
        } throws: { error in
            (error as? TenantStorageError)?.message.contains("belongs to tenant 'alpha', not 'beta'") == true
        }
    }

    @Test func databaseFromANewerClinicBoxIsRefused() async throws {
        let workspace = try TestWorkspace()
        do {
            let database = try await Self.databases(workspace).database(for: Self.alpha, creating: true)
            try await database.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('future.v9')") }
        }
        await #expect {
            _ = try await Self.databases(workspace).database(for: Self.alpha, creating: true)
        } throws: { error in
            (error as? TenantStorageError)?.message.contains("was written by a newer ClinicBox (unknown migrations: future.v9)") == true
        }
    }

    @Test func tenantsNeverSeeEachOthersRows() async throws {
        let workspace = try TestWorkspace()
        let databases = Self.databases(workspace)
        let alpha = try await databases.database(for: Self.alpha, creating: true)
        let beta = try await databases.database(for: Self.beta, creating: true)
        try await alpha.write { db in try db.execute(sql: "INSERT INTO notes (text) VALUES ('alpha secret')") }
        try await beta.write { db in try db.execute(sql: "INSERT INTO notes (text) VALUES ('beta note')") }
        #expect(try await alpha.read { db in try String.fetchAll(db, sql: "SELECT text FROM notes") } == ["alpha secret"])
        #expect(try await beta.read { db in try String.fetchAll(db, sql: "SELECT text FROM notes") } == ["beta note"])
        let betaFile =
            try Data(contentsOf: URL(fileURLWithPath: workspace.data + "/beta.sqlite"))
            + ((try? Data(contentsOf: URL(fileURLWithPath: workspace.data + "/beta.sqlite-wal"))) ?? Data())
        #expect(betaFile.range(of: Data("alpha secret".utf8)) == nil)
    }

    @Test func manyTenantsInRandomOrderStayWithinTheOpenCap() async throws {
        let workspace = try TestWorkspace()
        let databases = Self.databases(workspace, schema: .core, maximumOpen: 16)
        let ids = (0..<1_000).map { TenantID("tenant-\($0)")! }
        var highest = 0
        for (index, id) in (ids.shuffled() + (0..<1_000).map { _ in ids.randomElement()! }).enumerated() {
            let database = try await databases.database(for: id, creating: true)
            _ = try await database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM clinicbox_tenant") }
            #expect(databases.openCount <= 16)
            if index.isMultiple(of: 25) { highest = max(highest, Self.openDescriptors(under: workspace.data)) }
        }
        // 16 databases × (writer + 2 readers) × 3 files (database, WAL, shared memory), plus one evicted pool closing.
        #expect(highest > 0)
        #expect(highest <= 16 * 9 + 9, "\(highest) descriptors open on tenant files")
    }

    @Test func concurrentWritersFromTwoProcessesWaitInsteadOfFailing() async throws {
        // Two pools on one file stand for the server and a `clinicbox user add` run beside it. Each write reads
        // then inserts; with deferred transactions the loser of a race fails at once with SQLITE_BUSY.
        let workspace = try TestWorkspace()
        let first = try TenantDatabase.openForTests(Self.alpha, in: workspace.data, schema: Self.notesSchema)
        let second = try TenantDatabase.openForTests(Self.alpha, in: workspace.data, schema: Self.notesSchema)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, database) in [first, second, first, second].enumerated() {
                group.addTask {
                    for round in 0..<50 {
                        try await database.write { db in
                            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM notes") ?? 0
                            try db.execute(sql: "INSERT INTO notes (text) VALUES (?)", arguments: ["writer \(index) round \(round) saw \(count)"])
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await first.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM notes") } == 200)
    }

    @Test func idleDatabasesAreClosed() async throws {
        let workspace = try TestWorkspace()
        var options = TenantDatabases.Options()
        // Generous margins: under a loaded test run, resuming after an open can itself take hundreds of milliseconds.
        options.idleTimeout = .milliseconds(1_500)
        let databases = TenantDatabases(folder: workspace.data, options: options, logger: Logger(label: "test")) { _ in .core }
        _ = try await databases.database(for: Self.alpha, creating: true)
        try await Task.sleep(for: .milliseconds(2_000))
        _ = try await databases.database(for: Self.beta, creating: true)
        databases.closeIdle()
        #expect(databases.openCount == 1)  // alpha idled out, beta was just used
        try await Task.sleep(for: .milliseconds(2_000))
        databases.closeIdle()
        #expect(databases.openCount == 0)
    }

    @Test func failingMigrationIsRolledBackWithoutStoppingOthers() async throws {
        let workspace = try TestWorkspace()
        let ids = ["alpha", "beta", "gamma"].map { TenantID($0)! }
        #expect(
            TenantMigration.run(tenants: ids, dataFolder: workspace.data, schema: { _ in Self.notesSchema }).map(\.line) == [
                "alpha: applied core.v1, test.v1", "beta: applied core.v1, test.v1", "gamma: applied core.v1, test.v1",
            ]
        )
        // beta holds data the next step cannot accept.
        let beta = try TenantDatabase.openForTests(Self.beta, in: workspace.data, schema: Self.notesSchema)
        try await beta.write { db in try db.execute(sql: "INSERT INTO notes (text) VALUES ('same'), ('same')") }

        let uniqueNotes = Self.notesSchema.appending(
            TenantSchema(steps: [
                .init(id: "test.v2") { db, _ in
                    try db.execute(sql: "CREATE TABLE tags (name TEXT NOT NULL) STRICT")
                    try db.execute(sql: "CREATE UNIQUE INDEX notes_text ON notes(text)")
                }
            ])
        )
        let outcomes = TenantMigration.run(tenants: ids, dataFolder: workspace.data, schema: { _ in uniqueNotes })
        #expect(outcomes[0].line == "alpha: applied test.v2")
        #expect(
            outcomes[1].line.hasPrefix("beta: FAILED — \(workspace.data)/beta.sqlite: migration failed and was rolled back: UNIQUE constraint failed")
        )
        #expect(outcomes[2].line == "gamma: applied test.v2")
        let betaTables = try await beta.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_schema WHERE name IN ('tags', 'notes_text')")
        }
        #expect(betaTables.isEmpty)
        #expect(try await beta.appliedSteps() == ["core.v1", "test.v1"])
    }

    // MARK: Helpers

    static func fillAndClose(_ workspace: TestWorkspace, _ tenant: TenantID, rows: Int) async throws {
        let database = try TenantDatabase.openForTests(tenant, in: workspace.data, schema: notesSchema)
        try await database.write { db in
            for index in 0..<rows {
                try db.execute(sql: "INSERT INTO notes (text) VALUES (?)", arguments: [String(repeating: "note \(index) ", count: 20)])
            }
        }
        try await database.checkpointAndClose()
    }

    /// Descriptors this process holds on files under `folder` (other tests' files and sockets do not count).
    static func openDescriptors(under folder: String) -> Int {
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return descriptors.filter { fd in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + fd))?.hasPrefix(folder) ?? false
        }.count
    }
}
