import CSQLiteHardening
import Foundation
import GRDB
import NIOPosix

/// One tenant's open SQLite database: `<data>/<id>.sqlite` behind a GRDB `DatabasePool`.
///
/// Shaped like GRDB's `AppDatabase`: it opens, hardens and migrates, and hands out reads and writes.
public struct TenantDatabase: Sendable {
    public let tenant: TenantID
    public let path: String
    package let pool: DatabasePool
    /// Migration steps this open applied (empty when the database was already up to date).
    public let appliedAtOpen: [String]
    /// Recent token and session lookups; emptied by every commit that changes who may sign in.
    package let signIns: SignInCache
    /// What other layers keep while this database is open (the pages' rendered rows).
    package let companions = DatabaseCompanions()
    /// The file and restore stamp this database was opened with (see `TenantRestore`).
    package let restoreMark: RestoreMark?
    /// Where `write` waits to share a commit with the writes that arrive beside it.
    package let groupCommit: GroupCommit
    /// What this tenant's credentials start with (`CredentialMarks`), so another tenant recognises them; "" without.
    package let credentialMark: String

    /// Reads inside a snapshot of the database, on the calling thread.
    ///
    /// A read is short CPU work; GRDB's async read would hop to a queue that waits for a reader and on to the reader's
    /// own queue, and those thread wake-ups cost more than most reads. WAL readers never wait for the writer, and the
    /// pool has a reader per core (see `TenantDatabases.Options`), so the caller waits only for other reads to finish.
    /// Every read of `pool` must go this way: an async GRDB read frees its reader only after resuming on Swift's pool,
    /// which a thread blocked here waiting for that reader could starve.
    public func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try readOnThisThread(body)
    }

    /// Reads that may take long — a CSV export, a report over months — with the work on their rows, on a thread of
    /// NIO's blocking pool. `read` runs on the calling thread, which is one of the event loops that also run Swift's
    /// tasks (`clinicbox` installs them as its executor): a 20,000-row export there would hold every connection on
    /// that loop until it finished.
    public func longRead<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let pool = self.pool
        return try await NIOThreadPool.singleton.runIfActive { try pool.read(body) }
    }

    /// Runs `body`, which must run exactly one `SELECT`, on the calling thread without an explicit transaction.
    ///
    /// One statement is its own consistent snapshot in SQLite, so the `BEGIN`/`COMMIT` pair around it buys nothing,
    /// and GRDB prepares that pair anew for every read. For the per-request reads: the token or session lookup and a
    /// list page. A body with two statements needs `read`, or it may see two different states of the database.
    public func readStatement<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try readStatementOnThisThread(body)
    }

    private func readStatementOnThisThread<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.unsafeRead(body)
    }

    /// GRDB's blocking read; a non-async function, so overload resolution cannot pick the async one.
    private func readOnThisThread<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.read(body)
    }

    /// Writes `body` all or nothing, and returns once it is durably committed.
    ///
    /// Writes that arrive together share one `BEGIN IMMEDIATE` transaction and its fsync, each in a savepoint of its
    /// own (see `GroupCommit`): `body` must not open a transaction itself, and sees the writes committed with it.
    public func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await groupCommit.write(body)
    }

    /// Migration step ids recorded in this database.
    public func appliedSteps() async throws -> [String] {
        try await read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") }
    }

    // MARK: Opening

    /// How a tenant connection is configured: durable, defensive, and patient with a busy writer.
    package static func configuration(maximumReaders: Int) -> Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.maximumReaderCount = maximumReaders
        configuration.prepareDatabase { db in
            guard let connection = db.sqliteConnection, clinicbox_harden_connection(connection) == SQLITE_OK else {
                throw DatabaseError(message: "could not harden the SQLite connection")
            }
            // Health data: an acknowledged write must survive power loss, so every commit reaches the disk.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // 256 KiB of page cache per connection, not SQLite's 2 MB: 200 open databases × 3 connections could
            // otherwise hold 1.2 GB. The OS caches the files anyway; bench/soak.sh measured no throughput lost.
            try db.execute(sql: "PRAGMA cache_size = -256")
        }
        return configuration
    }

    /// A pool whose every connection commits durably. GRDB's pool sets its writer to `synchronous = NORMAL` when it
    /// turns on WAL mode, after `prepareDatabase` has run; in WAL mode NORMAL skips the fsync at commit, so a write
    /// acknowledged just before a power cut could be lost. The writer is set back to FULL here, and checked.
    package static func durablePool(path: String, maximumReaders: Int) throws -> DatabasePool {
        let pool = try DatabasePool(path: path, configuration: configuration(maximumReaders: maximumReaders))
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            guard try Int.fetchOne(db, sql: "PRAGMA synchronous") == 2 else {
                throw DatabaseError(message: "the writer connection refused synchronous = FULL")
            }
        }
        return pool
    }

    /// Opens (creating it if `create` and it does not exist) and migrates the database of `tenant` in `folder`.
    static func open(
        _ tenant: TenantID,
        in folder: String,
        schema: TenantSchema,
        create: Bool,
        quickCheck: Bool,
        maximumReaders: Int
    ) throws(TenantStorageError) -> TenantDatabase {
        _ = SQLiteLibrary.configured
        let path = tenant.databasePath(in: folder)
        let file = TenantDatabaseFile(path: path, displayPath: path, tenant: tenant)
        let ledger = TenantDatabaseLedger(dataFolder: folder)
        if FileManager.default.fileExists(atPath: path) {
            try file.inspect(quickCheck: quickCheck)
        } else if ledger.contains(tenant) {
            throw TenantStorageError(tenant: tenant, message: ledger.missingMessage(tenant, path: path))
        } else if !create {
            throw TenantStorageError(tenant: tenant, message: "\(path) does not exist yet", isAbsent: true)
        }
        let pool: DatabasePool
        do {
            pool = try durablePool(path: path, maximumReaders: maximumReaders)
        } catch {
            throw TenantStorageError(tenant: tenant, message: "\(path) cannot be opened: \(Self.describe(error))")
        }
        let applied = try migrate(pool, tenant: tenant, schema: schema, path: path)
        try ledger.record(tenant)
        let signIns = SignInCache()
        pool.add(transactionObserver: SignInCache.Observer(signIns), extent: .databaseLifetime)
        return TenantDatabase(
            tenant: tenant,
            path: path,
            pool: pool,
            appliedAtOpen: applied,
            signIns: signIns,
            restoreMark: RestoreMark.read(path: path, pool: pool),
            groupCommit: GroupCommit(pool: pool),
            credentialMark: CredentialMarks.of(dataFolder: folder)?.mark(tenant) ?? ""
        )
    }

    /// Applies the steps this database lacks and returns them; refuses a database written by a newer ClinicBox.
    package static func migrate(_ pool: DatabasePool, tenant: TenantID, schema: TenantSchema, path: String) throws(TenantStorageError) -> [String] {
        let migrator = schema.migrator(for: tenant)
        do {
            let applied = try pool.read { db in try migrator.appliedIdentifiers(db) }
            let unknown = applied.subtracting(schema.knownIDs)
            guard unknown.isEmpty else {
                throw TenantStorageError(
                    tenant: tenant,
                    message:
                        "\(path) was written by a newer ClinicBox (unknown migrations: \(unknown.sorted().joined(separator: ", "))); upgrade this binary"
                )
            }
            do {
                try migrator.migrate(pool)
            } catch {
                // Another process (the server picking up a tenant file, and a `clinicbox user add` run at the same
                // moment) may have applied steps between our read and our write: then the steps it applied are
                // skipped on a second try.
                guard try pool.read({ db in try migrator.appliedIdentifiers(db) }) != applied else { throw error }
                try migrator.migrate(pool)
            }
            return migrator.migrations.filter { !applied.contains($0) }
        } catch let error as TenantStorageError {
            throw error
        } catch {
            throw TenantStorageError(tenant: tenant, message: "\(path): migration failed and was rolled back: \(describe(error))")
        }
    }

    package static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? error.description }
        return String(describing: error)
    }
}

extension TenantDatabase {
    /// Opens a database outside any server (commands and tests), creating it if it does not exist.
    package static func openForTests(_ tenant: TenantID, in folder: String, schema: TenantSchema) throws(TenantStorageError) -> TenantDatabase {
        try open(tenant, in: folder, schema: schema, create: true, quickCheck: true, maximumReaders: 2)
    }

    /// Folds the WAL into the main file and closes every connection, as a clean shutdown does.
    public func checkpointAndClose() async throws {
        _ = try await pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        try pool.close()
    }
}

/// What a restore changes: the file, when it was renamed into place, or `user_version`, when it was overwritten
/// in place.
package struct RestoreMark: Equatable {
    package var inode: UInt64
    package var userVersion: Int32

    package static func read(path: String, pool: DatabasePool) -> RestoreMark? {
        guard let inode = (try? FileManager.default.attributesOfItem(atPath: path))?[.systemFileNumber] as? UInt64,
            let userVersion = try? pool.read({ db in try Int32.fetchOne(db, sql: "PRAGMA user_version") })
        else { return nil }
        return RestoreMark(inode: inode, userVersion: userVersion)
    }
}

extension TenantID {
    /// `<folder>/<id>.sqlite`: a tenant's database file is named by its validated id and nothing else.
    public func databasePath(in folder: String) -> String { TenantFiles.database(self, in: folder) }
}

/// SQLite's process-wide settings, applied once before the first connection opens.
package enum SQLiteLibrary {
    package static let configured: Bool = clinicbox_configure_library() == SQLITE_OK
}
