import Foundation

/// Checks an existing tenant database file before GRDB opens it, so a damaged or foreign file is reported
/// as that tenant's problem instead of being opened (or silently re-created) as an empty database.
///
/// The file is opened with `SQLITE_OPEN_READWRITE` and without `SQLITE_OPEN_CREATE`.
package struct TenantDatabaseFile {
    package var path: String
    package var displayPath: String
    package var tenant: TenantID

    package func inspect(quickCheck: Bool) throws(TenantStorageError) {
        guard FileManager.default.isReadableFile(atPath: path) else { throw failure("cannot be read (check its permissions)") }
        // SQLite would quietly open it read-only, and every save would then fail.
        guard FileManager.default.isWritableFile(atPath: path) else {
            throw failure("is read-only (its permissions, or a read-only disk); nothing can be saved until it is writable again")
        }
        let handle: SQLiteHandle
        do { handle = try SQLiteHandle(path: path) } catch { throw failure("cannot be opened: \(error)") }
        try checkHeader(handle)
        if quickCheck {
            let result = try value(handle, "PRAGMA quick_check")
            guard result == "ok" else { throw failure("is damaged (quick_check: \(result ?? "no answer")); restore it from a backup") }
        }
        let applicationID = try value(handle, "PRAGMA application_id").flatMap { Int32($0) } ?? 0
        if applicationID == TenantSchema.applicationID {
            let owner = try value(handle, "SELECT id FROM clinicbox_tenant LIMIT 1")
            guard owner == tenant.rawValue else {
                throw failure("belongs to tenant '\(owner ?? "?")', not '\(tenant)'; it was copied or renamed — put the right file back")
            }
        } else {
            let tables = try value(handle, "SELECT count(*) FROM sqlite_schema").flatMap { Int($0) } ?? 0
            guard applicationID == 0, tables == 0 else { throw failure("is a SQLite database but not a ClinicBox tenant database") }
        }
    }

    private func value(_ handle: SQLiteHandle, _ sql: String) throws(TenantStorageError) -> String? {
        do { return try handle.firstColumn(sql) } catch { throw failure("cannot be read: \(error)") }
    }

    /// Reads the 100-byte SQLite header: catches empty, garbage and truncated files without trusting SQLite to.
    private func checkHeader(_ handle: SQLiteHandle) throws(TenantStorageError) {
        let start: (size: Int64, bytes: [UInt8])
        do { start = try handle.fileStart(count: 100) } catch { throw failure("cannot be read: \(error)") }
        let (size, header) = start
        guard size > 0 else { throw failure("is empty (0 bytes); restore it from a backup") }
        guard size >= 100, header.starts(with: Array("SQLite format 3\0".utf8)) else {
            throw failure("is not a SQLite database (\(size) bytes of something else); restore it from a backup")
        }
        let rawPageSize = Int(header[16]) << 8 | Int(header[17])
        let pageSize = rawPageSize == 1 ? 65_536 : rawPageSize
        // With a non-empty WAL the main file may legitimately lag behind; SQLite recovers it on open.
        let walSize = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? UInt64) ?? 0
        guard walSize == 0 else { return }
        let pageCount = header[28..<32].reduce(0) { $0 << 8 | Int($1) }
        let headerCountIsValid = header[24..<28] == header[92..<96]
        guard pageSize >= 512, Int(size) % pageSize == 0, !headerCountIsValid || pageCount * pageSize <= Int(size) else {
            throw failure("is truncated (\(size) bytes); restore it from a backup")
        }
    }

    private func failure(_ problem: String) -> TenantStorageError {
        TenantStorageError(tenant: tenant, message: "\(displayPath) \(problem)")
    }
}
