import Foundation
import GRDB
import Testing

@testable import ClinicBoxCore

/// Writes that arrive together share one transaction and one fsync, each in its own savepoint; against a real file.
@Suite struct GroupCommitTests {
    /// The folder is removed when the test's `workspace` goes.
    let workspace: TestWorkspace

    init() throws { workspace = try TestWorkspace() }

    func database() throws -> TenantDatabase {
        try TenantDatabase.openForTests(TenantStorageTests.alpha, in: workspace.data, schema: TenantStorageTests.notesSchema)
    }

    static func notes(_ database: TenantDatabase) async throws -> [String] {
        try await database.read { db in try String.fetchAll(db, sql: "SELECT text FROM notes ORDER BY id") }
    }

    @Test func aLoneWriteCommitsAtOnceOnItsOwn() async throws {
        let database = try database()
        let id = try await database.write { db in
            try db.execute(sql: "INSERT INTO notes (text) VALUES ('alone')")
            return db.lastInsertedRowID
        }
        #expect(id == 1)
        #expect(database.groupCommit.counts == .init(commits: 1, writes: 1))
        #expect(try await Self.notes(database) == ["alone"])
    }

    @Test func writesThatArriveTogetherShareACommitAndAFailingOneLosesOnlyItsOwnChanges() async throws {
        let database = try database()
        // Hold the writer, so that the three writes below are all waiting when it is free again.
        let held = DispatchSemaphore(value: 0)
        database.pool.asyncWriteWithoutTransaction { _ in held.wait() }
        let first = Task { try await database.write { db in try db.execute(sql: "INSERT INTO notes (text) VALUES ('first')") } }
        while database.groupCommit.waiting < 1 { try await Task.sleep(for: .milliseconds(1)) }
        let failing = Task {
            try await database.write { db in
                try db.execute(sql: "INSERT INTO notes (text) VALUES ('lost with its own savepoint')")
                try db.execute(sql: "INSERT INTO notes (text) VALUES (NULL)")
            }
        }
        while database.groupCommit.waiting < 2 { try await Task.sleep(for: .milliseconds(1)) }
        let third = Task { try await database.write { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM notes") } }
        while database.groupCommit.waiting < 3 { try await Task.sleep(for: .milliseconds(1)) }
        held.signal()

        try await first.value
        let error = await #expect(throws: DatabaseError.self) { try await failing.value }
        #expect(error?.resultCode == .SQLITE_CONSTRAINT)
        // The third saw the first's row (they run one after the other) and not the failed write's.
        #expect(try await third.value == 1)
        #expect(database.groupCommit.counts == .init(commits: 1, writes: 2))
        #expect(try await Self.notes(database) == ["first"])
    }

    @Test func manyConcurrentWritesAllLandWithFewerCommitsThanWrites() async throws {
        let database = try database()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask {
                    try await database.write { db in try db.execute(sql: "INSERT INTO notes (text) VALUES (?)", arguments: ["\(index)"]) }
                }
            }
            try await group.waitForAll()
        }
        let counts = database.groupCommit.counts
        #expect(Set(try await Self.notes(database)) == Set((0..<200).map(String.init)))
        #expect(counts.writes == 200)
        #expect(counts.commits < 200)
        #expect(counts.commits >= 200 / GroupCommit.largestGroup)
    }

    @Test func aWriteMayNotOpenATransactionOfItsOwn() async throws {
        let database = try database()
        await #expect(throws: DatabaseError.self) {
            try await database.write { db in try db.inTransaction { .commit } }
        }
        try await database.write { db in try db.execute(sql: "INSERT INTO notes (text) VALUES ('after')") }
        #expect(try await Self.notes(database) == ["after"])
    }
}
