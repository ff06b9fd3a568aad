import Foundation
import GRDB

/// One tenant's health as its admins and the system admins see it (`GET /api/tenants/{id}/health`): does its
/// database open and pass `quick_check`, which schema it has, how big it is, and how old its last good backup is.
package struct TenantHealth: Encodable {
    package struct DatabaseState: Encodable {
        /// False until the tenant's first user is added: a tenant without data has no database, and that is fine.
        package var exists = true
        package var opens: Bool
        package var quickCheck: String?
        package var schema: [String]
        package var bytes: Int
        package var problem: String?
    }

    package struct BackupState: Encodable {
        package var last: String?
        package var ageSeconds: Int?
        package var every: String
        package var keep: Int
        package var problem: String?
    }

    package var tenant: String
    package var status: String
    package var database: DatabaseState
    package var backup: BackupState

    package static func check(_ tenant: Tenant, databases: TenantDatabases, backups: BackupScheduler, now: Date = Date()) async -> TenantHealth {
        let bytes = databases.fileBytes(tenant.id)
        var database = DatabaseState(opens: false, schema: [], bytes: bytes)
        do {
            let open = try await databases.database(for: tenant.id)
            let (result, schema) = try await open.read { db in
                (
                    try String.fetchOne(db, sql: "PRAGMA quick_check") ?? "no answer",
                    try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
                )
            }
            database = DatabaseState(
                opens: true,
                quickCheck: result,
                schema: schema,
                bytes: bytes,
                problem: result == "ok" ? nil : "quick_check: \(result); restore it from a backup"
            )
        } catch let error as TenantStorageError where error.isAbsent {
            database.exists = false
        } catch let error as TenantStorageError {
            database.problem = error.message
        } catch {
            database.problem = String(describing: error)
        }
        let schedule = tenant.definition.backup.applied(to: backups.schedule)
        let last = backups.lastBackupDate(tenant.id)
        var backup = BackupState(
            last: last.map(Timestamp.string),
            ageSeconds: last.map { Int(now.timeIntervalSince($0)) },
            every: BackupSchedule.describe(schedule.every),
            keep: schedule.keep,
            problem: backups.failure(tenant.id)
        )
        let current = backups.currentAsOf(tenant.id)
        if let every = schedule.every, database.opens, current.map({ now.timeIntervalSince($0) > 2 * Double(every.components.seconds) }) ?? false {
            backup.problem = backup.problem ?? "the last good backup is older than twice the interval (\(BackupSchedule.describe(every)))"
        }
        let healthy = database.problem == nil && backup.problem == nil
        return TenantHealth(tenant: tenant.id.rawValue, status: healthy ? "ok" : "problem", database: database, backup: backup)
    }
}
