import ServiceLifecycle

/// Storage housekeeping while the server runs: within a second, picks up restored databases and notices deleted
/// or emptied ones; and makes the scheduled backups (checked every `backupCheckInterval`).
package struct StorageMaintenanceService: Service {
    package let databases: TenantDatabases
    package let scheduler: BackupScheduler
    package let backupCheckInterval: Duration

    package func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    databases.checkOpenFiles()
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    await scheduler.runDue()
                    try? await Task.sleep(for: backupCheckInterval)
                }
            }
            try? await gracefulShutdown()
            group.cancelAll()
        }
    }
}
