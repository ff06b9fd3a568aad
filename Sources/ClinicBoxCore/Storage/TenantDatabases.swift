import Foundation
import Logging
import Synchronization

/// The open tenant databases: opened on first use, closed when idle or when more than `maximumOpen` are open
/// (least recently used first), so 10,000 defined tenants never hold 10,000 sets of file descriptors.
public final class TenantDatabases: Sendable {
    public struct Options: Sendable {
        public var maximumOpen = 200
        /// Readers per database, opened as needed; each holds 3 descriptors (database, WAL, shared memory).
        /// At least one per core: reads run on the calling thread, and a thread of Swift's pool (one per core)
        /// must never wait for a reader that another thread of the pool holds.
        public var maximumReaders = max(2, ProcessInfo.processInfo.activeProcessorCount)
        public var idleTimeout: Duration = .seconds(300)

        public init() {}
    }

    public let folder: String
    package let options: Options
    private let schema: @Sendable (TenantID) -> TenantSchema
    private let logger: Logger
    fileprivate let state = Mutex(State())
    private let openedActions = Mutex<[@Sendable (TenantDatabase) -> Void]>([])

    fileprivate struct State {
        var open: [TenantID: Entry] = [:]
        package var opening: [TenantID: Task<TenantDatabase, any Error>] = [:]
        package var problems: [TenantID: String] = [:]
        /// Tenants whose file passed `quick_check` since start; the check runs once per process, not per open.
        package var checked: Set<TenantID> = []
        package var tick: UInt64 = 0
    }

    fileprivate struct Entry {
        package var database: TenantDatabase
        /// `TenantSchema.key` of the schema this database was last migrated to.
        package var schemaKey: String
        package var lastUse: UInt64
        package var lastUseTime: ContinuousClock.Instant
    }

    public init(folder: String, options: Options = .init(), logger: Logger, schema: @escaping @Sendable (TenantID) -> TenantSchema) {
        self.folder = folder
        self.options = options
        self.logger = logger
        self.schema = schema
    }

    /// The open database of `tenant`, opening it if needed, and migrated to `schema` (by default the schema this
    /// pool was made with): a module enabled by a reload gets its tables on next use.
    ///
    /// Only `creating` makes a tenant's first database, and only what puts data in it asks for that (adding the
    /// first user, a restore). A request never does: otherwise anyone could make the server create a database
    /// (and a backup) for every tenant defined, by failing to sign in at each. Without one the error `isAbsent`.
    public func database(for tenant: TenantID, schema: TenantSchema? = nil, creating: Bool = false) async throws(TenantStorageError) -> TenantDatabase
    {
        let now = ContinuousClock.now
        let schema = schema ?? self.schema(tenant)
        enum Lookup {
            case open(TenantDatabase)
            case opening(Task<TenantDatabase, any Error>)
        }
        let lookup: Lookup = state.withLock { state in
            state.tick += 1
            if let entry = state.open[tenant], entry.schemaKey == schema.key {
                state.open[tenant] = Entry(database: entry.database, schemaKey: entry.schemaKey, lastUse: state.tick, lastUseTime: now)
                return .open(entry.database)
            }
            if let task = state.opening[tenant] { return .opening(task) }
            let task: Task<TenantDatabase, any Error>
            if let entry = state.open[tenant] {
                task = Task { try self.upgrade(entry.database, to: schema) }
            } else {
                let quickCheck = !state.checked.contains(tenant)
                task = Task { try self.openAndRegister(tenant, schema: schema, quickCheck: quickCheck, create: creating) }
            }
            state.opening[tenant] = task
            return .opening(task)
        }
        switch lookup {
        case .open(let database):
            return database
        case .opening(let task):
            do {
                return try await task.value
            } catch let error as TenantStorageError {
                throw error
            } catch {
                throw TenantStorageError(tenant: tenant, message: String(describing: error))
            }
        }
    }

    /// Runs `action` with every database opened from now on (not on a schema upgrade of one already open).
    package func whenOpened(_ action: @escaping @Sendable (TenantDatabase) -> Void) {
        openedActions.withLock { $0.append(action) }
    }

    private func openAndRegister(_ tenant: TenantID, schema: TenantSchema, quickCheck: Bool, create: Bool) throws -> TenantDatabase {
        do {
            let database = try TenantDatabase.open(
                tenant,
                in: folder,
                schema: schema,
                create: create,
                quickCheck: quickCheck,
                maximumReaders: options.maximumReaders
            )
            logMigrations(database.appliedAtOpen, tenant: tenant)
            let evicted = state.withLock { state in
                state.opening[tenant] = nil
                state.problems[tenant] = nil
                state.checked.insert(tenant)
                state.tick += 1
                state.open[tenant] = Entry(database: database, schemaKey: schema.key, lastUse: state.tick, lastUseTime: .now)
                return Self.evictLeastRecentlyUsed(&state, keeping: options.maximumOpen)
            }
            // Dropping the last reference closes the pool; a request still using one keeps it until it finishes.
            _ = evicted
            for action in openedActions.withLock({ $0 }) { action(database) }
            return database
        } catch {
            recordProblem(error, tenant: tenant)
            throw error
        }
    }

    /// Migrates an open database to a schema with more steps (a module was enabled while it was open).
    private func upgrade(_ database: TenantDatabase, to schema: TenantSchema) throws -> TenantDatabase {
        do {
            let applied = try TenantDatabase.migrate(database.pool, tenant: database.tenant, schema: schema, path: database.path)
            logMigrations(applied, tenant: database.tenant)
            state.withLock { state in
                state.opening[database.tenant] = nil
                state.tick += 1
                state.open[database.tenant] = Entry(database: database, schemaKey: schema.key, lastUse: state.tick, lastUseTime: .now)
            }
            return database
        } catch {
            recordProblem(error, tenant: database.tenant)
            throw error
        }
    }

    private func recordProblem(_ error: TenantStorageError, tenant: TenantID) {
        state.withLock { state in
            state.opening[tenant] = nil
            if !error.isAbsent { state.problems[tenant] = error.message }
        }
        guard !error.isAbsent else { return }
        logger.error("tenant database problem", metadata: ["tenant": "\(tenant)", "problem": "\(error.message)"])
    }

    private func logMigrations(_ applied: [String], tenant: TenantID) {
        guard !applied.isEmpty else { return }
        logger.info("migrated tenant database", metadata: ["tenant": "\(tenant)", "steps": "\(applied.joined(separator: ", "))"])
    }

    private static func evictLeastRecentlyUsed(_ state: inout State, keeping limit: Int) -> [TenantDatabase] {
        var evicted: [TenantDatabase] = []
        while state.open.count > limit, let oldest = state.open.min(by: { $0.value.lastUse < $1.value.lastUse }) {
            evicted.append(oldest.value.database)
            state.open[oldest.key] = nil
        }
        return evicted
    }

    /// Closes databases nobody used for `options.idleTimeout`.
    public func closeIdle() {
        let cutoff = ContinuousClock.now - options.idleTimeout
        let closed = state.withLock { state in
            let idle = state.open.filter { $0.value.lastUseTime < cutoff }
            for id in idle.keys { state.open[id] = nil }
            return idle.count
        }
        if closed > 0 { logger.debug("closed idle tenant databases", metadata: ["count": "\(closed)"]) }
    }

    /// Closes every open database (at shutdown, or before tests inspect the files).
    public func closeAll() {
        state.withLock { state in state.open.removeAll() }
    }

    /// Looks at the file of each open database, once a second off the request path. One a restore replaced or
    /// overwrote is closed, so the next request opens it afresh (migrated, `quick_check`ed, empty caches). One that
    /// was deleted or emptied is closed and reported, so no request writes into a file nobody will
    /// read again, and the next open says what is wrong instead of creating an empty database.
    public func checkOpenFiles() {
        let open = state.withLock { state in state.open.map { ($0.key, $0.value.database) } }
        var restored: [TenantID] = []
        var damaged: [(TenantID, String)] = []
        for (tenant, database) in open {
            if !FileManager.default.fileExists(atPath: database.path) {
                damaged.append(
                    (tenant, "\(database.path) was deleted while in use; restore it from a backup (clinicbox restore --tenant \(tenant) FILE)")
                )
            } else if (try? FileManager.default.attributesOfItem(atPath: database.path)[.size] as? Int) == 0 {
                // Only `stat`: opening and closing the file here would drop this process's POSIX locks on it,
                // which SQLite's connections rely on to coordinate with other processes (`clinicbox user …`).
                damaged.append(
                    (tenant, "\(database.path) was emptied while in use; restore it from a backup (clinicbox restore --tenant \(tenant) FILE)")
                )
            } else if let mark = RestoreMark.read(path: database.path, pool: database.pool), mark != database.restoreMark {
                restored.append(tenant)
            }
        }
        guard !restored.isEmpty || !damaged.isEmpty else { return }
        state.withLock { state in
            for tenant in restored + damaged.map(\.0) where state.open[tenant] != nil {
                state.open[tenant] = nil
                state.checked.remove(tenant)
            }
            for (tenant, problem) in damaged { state.problems[tenant] = problem }
        }
        for tenant in restored { logger.notice("tenant database was restored; reopening it", metadata: ["tenant": "\(tenant)"]) }
        for (tenant, problem) in damaged { logger.error("tenant database problem", metadata: ["tenant": "\(tenant)", "problem": "\(problem)"]) }
    }

    /// Reports, without opening anything, each of `tenants` whose database file is gone although it had one, so
    /// `/healthz` names it from the start instead of at its first request.
    public func reportMissingFiles(_ tenants: some Sequence<TenantID>) {
        let ledger = TenantDatabaseLedger(dataFolder: folder)
        let missing = tenants.filter { tenant in
            let path = tenant.databasePath(in: folder)
            return ledger.contains(tenant) && !FileManager.default.fileExists(atPath: path)
        }
        guard !missing.isEmpty else { return }
        state.withLock { state in
            for tenant in missing where state.open[tenant] == nil {
                state.problems[tenant] = ledger.missingMessage(tenant, path: tenant.databasePath(in: folder))
            }
        }
        for tenant in missing { logger.error("tenant database missing", metadata: ["tenant": "\(tenant)"]) }
    }

    /// True when `tenant` has a database, open or on disk, or had one (a missing file is a problem, not "none").
    public func hasDatabase(_ tenant: TenantID) -> Bool {
        if state.withLock({ $0.open[tenant] != nil }) { return true }
        return FileManager.default.fileExists(atPath: tenant.databasePath(in: folder)) || TenantDatabaseLedger(dataFolder: folder).contains(tenant)
    }

    /// Bytes on disk of the tenant's database and its write-ahead log (0 when it has none).
    public func fileBytes(_ tenant: TenantID) -> Int {
        let path = tenant.databasePath(in: folder)
        return ["", "-wal"].reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: path + $1)[.size] as? Int) ?? 0) }
    }

    public var openCount: Int { state.withLock { $0.open.count } }

    /// Tenants whose database could not be opened, with the reason.
    public var problems: [TenantID: String] { state.withLock { $0.problems } }
}

extension TenantDatabases {
    /// Stops keeping `tenant`'s database open (its tenant was removed); the file itself is never touched.
    public func close(_ tenant: TenantID) {
        state.withLock { state in
            state.open[tenant] = nil
            state.problems[tenant] = nil
        }
    }
}
