import Foundation

/// Puts a database copy (a backup, or the database of an export) in place of a tenant's database, while the
/// server may be running.
///
/// The copy is checked first (whole, a ClinicBox database of this tenant, no migration this binary does not know),
/// staged and migrated to the tenant's current schema, so the server never sees an old schema. The database it
/// replaces is kept beside it as `<id>.sqlite.replaced-<time>`. A healthy live database is overwritten in place with
/// SQLite's online backup (the server's open connections see the restored data at their next transaction); a
/// damaged or missing one is swapped by renaming. Either way the restore stamps `PRAGMA user_version`, and a running
/// server reopens any database whose stamp or file changed (`TenantDatabases.reopenReplaced`).
public enum TenantRestore {
    public struct Outcome: Sendable {
        /// Where the database that was replaced now is, or nil when there was none.
        public var keptAs: String?
        public var schema: [String]
    }

    public static func run(
        _ file: String,
        tenant: TenantID,
        dataFolder: String,
        schema: TenantSchema,
        now: Date = Date()
    ) async throws(TenantBackups.Failure) -> Outcome {
        do {
            let steps = try DatabaseCopy.check(file, tenant: tenant)
            let unknown = Set(steps).subtracting(schema.knownIDs)
            guard unknown.isEmpty else {
                throw TenantBackups.Failure(
                    description:
                        "\(file) was written by a newer ClinicBox (migrations \(unknown.sorted().joined(separator: ", "))); upgrade this binary first"
                )
            }
            let staging = dataFolder + "/.restore-" + tenant.rawValue
            try? FileManager.default.removeItem(atPath: staging)
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: staging) }
            let staged = tenant.databasePath(in: staging)
            try DatabaseCopy.snapshot(file, to: staged)
            let migrated = try TenantDatabase.open(tenant, in: staging, schema: schema, create: false, quickCheck: false, maximumReaders: 1)
            try await migrated.checkpointAndClose()

            let live = tenant.databasePath(in: dataFolder)
            let keptAs = live + ".replaced-" + Timestamp.fileStamp(now)
            var kept: String?
            if FileManager.default.fileExists(atPath: live) {
                kept = keptAs
                if (try? TenantDatabaseFile(path: live, displayPath: live, tenant: tenant).inspect(quickCheck: true)) != nil {
                    try DatabaseCopy.snapshot(live, to: keptAs)
                    try SQLiteHandle(path: staged, readOnly: true).copy(into: SQLiteHandle(path: live))
                    try stamp(live, now: now)
                    return Outcome(keptAs: kept, schema: steps)
                }
                // Damaged: keep the file as it is for whoever investigates, with its WAL.
                for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: live + suffix) {
                    try FileSync.rename(live + suffix, to: keptAs + suffix)
                }
                try FileSync.rename(live, to: keptAs)
            }
            try stamp(staged, now: now)
            try FileSync.rename(staged, to: live)
            return Outcome(keptAs: kept, schema: steps)
        } catch let error as TenantBackups.Failure {
            throw error
        } catch {
            throw TenantBackups.Failure(description: "restore of \(tenant) failed: \(error)")
        }
    }

    /// Marks the database as restored; a running server compares the mark with the one it saw at open.
    private static func stamp(_ path: String, now: Date) throws {
        let mark = Int32(truncatingIfNeeded: Int64(now.timeIntervalSince1970 * 1000))
        try SQLiteHandle(path: path).execute("PRAGMA user_version = \(mark)")
    }
}
