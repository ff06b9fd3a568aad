import Foundation
import Logging
import Synchronization

/// The server's own backups: each tenant whose last good backup is older than its schedule's interval is backed
/// up (one at a time, on a thread of its own so requests never wait for the copy), and its oldest backups beyond
/// `keep` are deleted. Knows each tenant's last good backup for health and metrics.
public final class BackupScheduler: Sendable {
    public let backups: TenantBackups
    package let schedule: BackupSchedule
    private let registry: LiveTenantRegistry
    private let databases: TenantDatabases
    private let logger: Logger
    private let state = Mutex(State())

    private struct State {
        package var lastGood: [TenantID: Date] = [:]
        /// When a due backup was skipped because the database had not changed since `lastGood`.
        package var unchangedAt: [TenantID: Date] = [:]
        /// The database's files (size, time, inode of the database and its WAL) just before the last backup began.
        package var backedUpFiles: [TenantID: [FileSignature?]] = [:]
        package var failures: [TenantID: String] = [:]
    }

    public init(backups: TenantBackups, schedule: BackupSchedule, registry: LiveTenantRegistry, databases: TenantDatabases, logger: Logger) {
        self.backups = backups
        self.schedule = schedule
        self.registry = registry
        self.databases = databases
        self.logger = logger
    }

    /// The time of the tenant's newest good backup (by this server or `clinicbox backup`), as of the last check.
    public func lastGoodBackup(_ tenant: TenantID) -> Date? { state.withLock { $0.lastGood[tenant] } }

    /// The newest good backup: this server's own, else the newest in the backup folder (`clinicbox backup` made it).
    public func lastBackupDate(_ tenant: TenantID) -> Date? { lastGoodBackup(tenant) ?? backups.list(tenant).last?.date }

    /// Until when the newest backup is known to hold everything in the database: its own time, or the last check
    /// that found nothing changed since. Health and the backup-age metric go by this, so an idle tenant (whose
    /// backup is skipped) is not reported as having an old backup.
    public func currentAsOf(_ tenant: TenantID) -> Date? {
        let unchanged = state.withLock { $0.unchangedAt[tenant] }
        guard let last = lastBackupDate(tenant) else { return nil }
        return max(last, unchanged ?? last)
    }

    /// Why the tenant's last scheduled backup failed, until one succeeds.
    public func failure(_ tenant: TenantID) -> String? { state.withLock { $0.failures[tenant] } }

    /// Backs up every tenant that is due and returns them. A tenant without a database has none, and a due
    /// backup is skipped when the database has not changed since the last one or holds nothing yet (no users,
    /// no audit entries): idle tenants would otherwise fill the backup folder with copies of the same bytes.
    @discardableResult
    public func runDue(now: Date = Date()) async -> [TenantID] {
        var done: [TenantID] = []
        for tenant in registry.current.tenants.values.sorted(by: { $0.id < $1.id }) {
            let id = tenant.id
            let schedule = tenant.definition.backup.applied(to: self.schedule)
            let last = backups.list(id).last?.date
            state.withLock { $0.lastGood[id] = last }
            let databasePath = id.databasePath(in: databases.folder)
            guard let every = schedule.every, FileManager.default.fileExists(atPath: databasePath), databases.problems[id] == nil else { continue }
            if let last, now.timeIntervalSince(last) < Double(every.components.seconds) { continue }
            let files = Self.files(databasePath)
            let unchanged = last != nil && state.withLock { $0.backedUpFiles[id] } == files
            if let reason = unchanged ? "unchanged since the last backup" : Self.emptiness(databasePath) {
                state.withLock { $0.unchangedAt[id] = now }
                logger.debug("backup skipped", metadata: ["tenant": "\(id)", "reason": "\(reason)"])
                continue
            }
            do {
                let manifest = try await Self.offThePool { [backups] () throws(TenantBackups.Failure) in
                    try backups.make(id, databasePath: databasePath, now: now).manifest
                }
                let removed = backups.prune(id, keep: schedule.keep)
                state.withLock {
                    $0.lastGood[id] = manifest.date
                    $0.failures[id] = nil
                    $0.backedUpFiles[id] = files
                    $0.unchangedAt[id] = nil
                }
                logger.info(
                    "backup made",
                    metadata: ["tenant": "\(id)", "file": "\(manifest.file)", "bytes": "\(manifest.bytes)", "pruned": "\(removed.count)"]
                )
                done.append(id)
            } catch {
                state.withLock { $0.failures[id] = error.description }
                logger.error("backup failed", metadata: ["tenant": "\(id)", "problem": "\(error.description)"])
            }
        }
        return done
    }

    /// What the database's files look like now. Every commit writes the WAL, so equal signatures mean no commit
    /// since; a checkpoint after a backup changes them too, which costs one more copy, never a missed one. Taken
    /// before the copy starts, so a commit during the copy is in the next backup. After a restart the first due
    /// backup is always made (this is kept in memory).
    private static func files(_ databasePath: String) -> [FileSignature?] {
        ["", "-wal"].map { FileSignature(path: databasePath + $0) }
    }

    /// Why a backup of this database would hold nothing, or nil.
    private static func emptiness(_ databasePath: String) -> String? {
        guard let handle = try? SQLiteHandle(path: databasePath, readOnly: true),
            let holdsData = try? handle.firstColumn("SELECT EXISTS(SELECT 1 FROM users) OR EXISTS(SELECT 1 FROM audit_log)")
        else { return nil }
        return holdsData == "0" ? "empty: no users and no audit entries yet" : nil
    }

    /// Runs blocking file work on a thread outside Swift's cooperative pool.
    private static func offThePool<T: Sendable>(
        _ work: @escaping @Sendable () throws(TenantBackups.Failure) -> T
    ) async throws(TenantBackups.Failure) -> T {
        let result: Result<T, TenantBackups.Failure> = await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: Result { () throws(TenantBackups.Failure) in try work() }) }
        }
        return try result.get()
    }
}
