import GRDBSQLite

/// A bare SQLite connection for file-level work outside GRDB's pools: inspecting a file before it is opened,
/// copying it with `VACUUM INTO`, checking a backup. Opened without `SQLITE_OPEN_CREATE`, so it never makes a
/// missing file; closed when it goes away.
package final class SQLiteHandle {
    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }

    private let handle: OpaquePointer

    package init(path: String, readOnly: Bool = false) throws(Failure) {
        var handle: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX
        guard sqlite3_open_v2(path, &handle, flags, nil) == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "unknown error"
            sqlite3_close_v2(handle)
            throw Failure(description: message)
        }
        self.handle = handle
        sqlite3_busy_timeout(handle, 5_000)
    }

    deinit { sqlite3_close_v2(handle) }

    /// The first column of the first row of `sql`, or nil when there is no row.
    package func firstColumn(_ sql: String) throws(Failure) -> String? {
        try rows(sql, limit: 1).first
    }

    /// The first column of each row of `sql` (at most `limit`).
    package func rows(_ sql: String, limit: Int = .max) throws(Failure) -> [String] {
        var statement: OpaquePointer?
        defer { sqlite3_finalize(statement) }
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK else { throw failure() }
        var values: [String] = []
        while values.count < limit {
            switch sqlite3_step(statement) {
            case SQLITE_ROW: values.append(sqlite3_column_text(statement, 0).map { String(cString: $0) } ?? "")
            case SQLITE_DONE: return values
            default: throw failure()
            }
        }
        return values
    }

    package func execute(_ sql: String) throws(Failure) {
        guard sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK else { throw failure() }
    }

    /// The main file's size and its first `count` bytes (zeros past its end), read through SQLite's own file
    /// object. A plain `open`/`close` of a database this process holds open would drop all of the process's POSIX
    /// locks on it, which SQLite uses to coordinate with other processes; SQLite's VFS keeps track of that.
    package func fileStart(count: Int) throws(Failure) -> (size: Int64, bytes: [UInt8]) {
        var pointer: UnsafeMutableRawPointer?
        guard sqlite3_file_control(handle, "main", SQLITE_FCNTL_FILE_POINTER, &pointer) == SQLITE_OK,
            let file = pointer?.assumingMemoryBound(to: sqlite3_file.self), let methods = file.pointee.pMethods
        else { throw Failure(description: "its file cannot be reached") }
        var size: sqlite3_int64 = 0
        guard methods.pointee.xFileSize(file, &size) == SQLITE_OK else { throw Failure(description: "its size cannot be read") }
        var bytes = [UInt8](repeating: 0, count: count)
        let read = bytes.withUnsafeMutableBytes { methods.pointee.xRead(file, $0.baseAddress, Int32(count), 0) }
        let shortRead = SQLITE_IOERR | (2 << 8)  // SQLITE_IOERR_SHORT_READ: the rest of `bytes` is zeros
        guard read == SQLITE_OK || read == shortRead else { throw Failure(description: "it cannot be read") }
        return (Int64(size), bytes)
    }

    /// Copies this whole database into `destination`'s main database with SQLite's online backup, in one step.
    package func copy(into destination: SQLiteHandle) throws(Failure) {
        guard let backup = sqlite3_backup_init(destination.handle, "main", handle, "main") else { throw destination.failure() }
        let stepped = sqlite3_backup_step(backup, -1)
        let finished = sqlite3_backup_finish(backup)
        guard stepped == SQLITE_DONE, finished == SQLITE_OK else { throw destination.failure() }
    }

    private func failure() -> Failure {
        Failure(description: String(cString: sqlite3_errmsg(handle)))
    }
}
