import ServiceLifecycle

/// Storage housekeeping while the server runs: picks up restored databases within a second and makes the
/// scheduled backups (checked every `backupCheckInterval`).
struct StorageMaintenanceService: Service {
    let databases: TenantDatabases
    let scheduler: BackupScheduler
    let backupCheckInterval: Duration

    func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    databases.reopenRestored()
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
