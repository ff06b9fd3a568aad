import Foundation
import Logging
import Synchronization

/// The server's own backups: each tenant whose last good backup is older than its schedule's interval is backed
/// up (one at a time, on a thread of its own so requests never wait for the copy), and its oldest backups beyond
/// `keep` are deleted. Knows each tenant's last good backup for health and metrics.
public final class BackupScheduler: Sendable {
    public let backups: TenantBackups
    let schedule: BackupSchedule
    private let registry: LiveTenantRegistry
    private let databases: TenantDatabases
    private let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var lastGood: [TenantID: Date] = [:]
        var failures: [TenantID: String] = [:]
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

    /// Why the tenant's last scheduled backup failed, until one succeeds.
    public func failure(_ tenant: TenantID) -> String? { state.withLock { $0.failures[tenant] } }

    /// Backs up every tenant that is due and returns them. A tenant that has never used its database has none yet.
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
            do {
                let manifest = try await Self.offThePool { [backups] () throws(TenantBackups.Failure) in try backups.make(id, databasePath: databasePath, now: now).manifest }
                let removed = backups.prune(id, keep: schedule.keep)
                state.withLock {
                    $0.lastGood[id] = manifest.date
                    $0.failures[id] = nil
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

    /// Runs blocking file work on a thread outside Swift's cooperative pool.
    private static func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws(TenantBackups.Failure) -> T) async throws(TenantBackups.Failure) -> T {
        let result: Result<T, TenantBackups.Failure> = await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: Result { () throws(TenantBackups.Failure) in try work() }) }
        }
        return try result.get()
    }
}
