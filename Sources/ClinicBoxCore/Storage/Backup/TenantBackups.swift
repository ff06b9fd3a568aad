import Foundation

/// The backups of every tenant under one folder: `<folder>/<tenant>/<tenant>-<UTC time>.sqlite`, each with its
/// manifest `….json`. A backup counts only once its manifest exists, and the manifest is written last, so a
/// crash part-way leaves nothing that looks like a good backup.
public struct TenantBackups: Sendable {
    public struct Manifest: Codable, Sendable, Equatable {
        public var tenant: String
        public var createdAt: String
        /// The migration steps the copy has; a binary that knows them all can restore it.
        public var schema: [String]
        public var sha256: String
        public var bytes: Int
        public var integrity: String
        /// The database copy's file name, beside the manifest.
        public var file: String

        package enum CodingKeys: String, CodingKey {
            case tenant, schema, sha256, bytes, integrity, file
            case createdAt = "created_at"
        }

        public var date: Date? { try? Date(createdAt, strategy: .iso8601) }
    }

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public let folder: String

    public init(folder: String) {
        self.folder = folder
    }

    /// Copies the live database at `databasePath` while the server keeps serving, checks the copy with
    /// `integrity_check`, and writes its manifest. Returns the manifest and the copy's path.
    public func make(_ tenant: TenantID, databasePath: String, now: Date = Date()) throws(Failure) -> (manifest: Manifest, path: String) {
        let tenantFolder = folder + "/" + tenant.rawValue
        // Milliseconds, so a backup by command and one by the schedule in the same second do not share a name.
        var name = "\(tenant.rawValue)-\(Self.stamp(now)).sqlite"
        var later = now
        while FileManager.default.fileExists(atPath: tenantFolder + "/" + name) {
            later += 0.001
            name = "\(tenant.rawValue)-\(Self.stamp(later)).sqlite"
        }
        let path = tenantFolder + "/" + name
        do {
            try FileManager.default.createDirectory(atPath: tenantFolder, withIntermediateDirectories: true)
            try DatabaseCopy.snapshot(databasePath, to: path)
            let schema = try DatabaseCopy.check(path, tenant: tenant)
            let manifest = Manifest(
                tenant: tenant.rawValue,
                createdAt: Timestamp.string(now),
                schema: schema,
                sha256: try DatabaseCopy.checksum(path),
                bytes: (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0,
                integrity: "ok",
                file: name
            )
            try FileSync.write(JSON.encode(manifest), to: manifestPath(of: path))
            return (manifest, path)
        } catch let error as DatabaseCopy.Failure {
            try? FileManager.default.removeItem(atPath: path)
            throw Failure(description: error.description)
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw Failure(description: "backup of \(tenant) failed: \(error)")
        }
    }

    /// The tenant's good backups, oldest first.
    public func list(_ tenant: TenantID) -> [Manifest] {
        let tenantFolder = folder + "/" + tenant.rawValue
        let names = (try? FileManager.default.contentsOfDirectory(atPath: tenantFolder)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().compactMap { name in
            guard let data = FileManager.default.contents(atPath: tenantFolder + "/" + name),
                let manifest = try? JSONDecoder().decode(Manifest.self, from: data), manifest.tenant == tenant.rawValue,
                FileManager.default.fileExists(atPath: tenantFolder + "/" + manifest.file)
            else { return nil }
            return manifest
        }
    }

    /// Deletes all but the newest `keep` backups of `tenant` (manifest first, so a half-deleted one is not good).
    @discardableResult
    public func prune(_ tenant: TenantID, keep: Int) -> [Manifest] {
        let backups = list(tenant)
        let removed = Array(backups.dropLast(keep))
        for manifest in removed {
            let path = folder + "/" + tenant.rawValue + "/" + manifest.file
            try? FileManager.default.removeItem(atPath: manifestPath(of: path))
            try? FileManager.default.removeItem(atPath: path)
        }
        return removed
    }

    /// `20261124T093000.123Z`: sorts in time order, as the older `20261124T093000Z` names do.
    private static func stamp(_ date: Date) -> String {
        let milliseconds = Int((date.timeIntervalSince1970 * 1000).rounded(.down)) % 1000
        let seconds = Timestamp.fileStamp(date)
        return String(seconds.dropLast()) + "." + String(format: "%03d", milliseconds) + "Z"
    }

    public func path(of manifest: Manifest) -> String { folder + "/" + manifest.tenant + "/" + manifest.file }

    private func manifestPath(of databasePath: String) -> String {
        String(databasePath.dropLast(".sqlite".count)) + ".json"
    }
}
