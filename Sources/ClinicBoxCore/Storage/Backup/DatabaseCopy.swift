import Crypto
import Foundation

/// Whole-file operations on a tenant database that may be in use: a consistent copy, a check of a copy, a checksum.
package enum DatabaseCopy {
    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }

    /// Writes a consistent snapshot of the live database at `source` to `destination` while other connections
    /// keep reading and writing. `VACUUM INTO` writes a temporary file (it does not fsync), which is synced and
    /// then renamed, so a crash leaves either no file at `destination` or a whole one.
    package static func snapshot(_ source: String, to destination: String) throws(Failure) {
        let temporary = destination + ".partial"
        try? FileManager.default.removeItem(atPath: temporary)
        do {
            let handle = try SQLiteHandle(path: source, readOnly: true)
            try handle.execute("VACUUM INTO '\(temporary.replacingOccurrences(of: "'", with: "''"))'")
            try FileSync.file(temporary)
            try FileSync.rename(temporary, to: destination)
        } catch let error as SQLiteHandle.Failure {
            try? FileManager.default.removeItem(atPath: temporary)
            throw Failure(description: "copying \(source) failed: \(error)")
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw Failure(description: String(describing: error))
        }
    }

    /// What a database file holds, once it is known to be a whole ClinicBox database of `tenant`: its migration
    /// steps. Runs the full `integrity_check` (a backup or a file to restore is read once, so thoroughness wins).
    package static func check(_ path: String, tenant: TenantID) throws(Failure) -> [String] {
        let name = (path as NSString).lastPathComponent
        do {
            guard FileManager.default.fileExists(atPath: path) else { throw Failure(description: "\(path) does not exist") }
            let handle = try SQLiteHandle(path: path, readOnly: true)
            let header = try handle.firstColumn("PRAGMA application_id").flatMap { Int32($0) }
            guard header == TenantSchema.applicationID else { throw Failure(description: "\(name) is not a ClinicBox tenant database") }
            let integrity = try handle.rows("PRAGMA integrity_check", limit: 5)
            guard integrity == ["ok"] else {
                throw Failure(description: "\(name) is damaged (integrity_check: \(integrity.joined(separator: "; ")))")
            }
            let owner = try handle.firstColumn("SELECT id FROM clinicbox_tenant LIMIT 1")
            guard owner == tenant.rawValue else { throw Failure(description: "\(name) is the database of tenant '\(owner ?? "?")', not '\(tenant)'") }
            return try handle.rows("SELECT identifier FROM grdb_migrations ORDER BY rowid")
        } catch let error as Failure {
            throw error
        } catch {
            throw Failure(description: "\(name) cannot be read as a SQLite database: \(error)")
        }
    }

    /// SHA-256 of the file, read in 1 MiB pieces.
    package static func checksum(_ path: String) throws(Failure) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw Failure(description: "cannot read \(path)") }
        defer { try? handle.close() }
        var hash = SHA256()
        while let piece = try? handle.read(upToCount: 1 << 20), !piece.isEmpty { hash.update(data: piece) }
        return hash.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
