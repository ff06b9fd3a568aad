import Foundation

/// Remembers which tenants have had a database in this data folder (`<data>/.databases/<id>`), so a database
/// file that goes missing is reported, never silently re-created empty under a clinic that had data.
package struct TenantDatabaseLedger {
    package let folder: String

    package init(dataFolder: String) {
        folder = dataFolder + "/.databases"
    }

    package func entry(_ tenant: TenantID) -> String { folder + "/" + tenant.rawValue }

    package func contains(_ tenant: TenantID) -> Bool {
        FileManager.default.fileExists(atPath: entry(tenant))
    }

    /// Notes that `tenant` has a database; cheap when it is already noted. The entry is written to a temporary
    /// file, flushed, renamed into place and the folder flushed, so it survives a power cut; when it cannot be
    /// written the error says so, because without it a lost database would later look like a new tenant.
    package func record(_ tenant: TenantID) throws(TenantStorageError) {
        guard !contains(tenant) else { return }
        let temporary = entry(tenant) + ".tmp"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data("\(Timestamp.string(Date()))\n".utf8).write(to: URL(fileURLWithPath: temporary))
            try Self.flush(temporary)
            try FileManager.default.moveItem(atPath: temporary, toPath: entry(tenant))
            try Self.flush(folder)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw TenantStorageError(
                tenant: tenant,
                message: "\(entry(tenant)) cannot be written (\(error.localizedDescription)); it records that this tenant has a database, "
                    + "so that losing the file is noticed. Check that \(folder) is a writable folder with free space"
            )
        }
    }

    /// `fsync` of a file or folder.
    package static func flush(_ path: String) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    /// Why `tenant`'s missing database is not re-created: for the admin, with both ways forward.
    package func missingMessage(_ tenant: TenantID, path: String) -> String {
        let since = (try? String(contentsOfFile: entry(tenant), encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        return "\(path) is missing, but this tenant has had a database here\(since.map { " since \($0)" } ?? ""); "
            + "it is not re-created empty. Restore it from a backup (clinicbox restore --tenant \(tenant) FILE), "
            + "or, to start this tenant with no data on purpose, delete \(entry(tenant))"
    }
}
