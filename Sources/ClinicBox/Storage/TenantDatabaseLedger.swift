import Foundation

/// Remembers which tenants have had a database in this data folder (`<data>/.databases/<id>`), so a database
/// file that goes missing is reported, never silently re-created empty under a clinic that had data.
struct TenantDatabaseLedger {
    let folder: String

    init(dataFolder: String) {
        folder = dataFolder + "/.databases"
    }

    func entry(_ tenant: TenantID) -> String { folder + "/" + tenant.rawValue }

    func contains(_ tenant: TenantID) -> Bool {
        FileManager.default.fileExists(atPath: entry(tenant))
    }

    /// Notes that `tenant` has a database; cheap when it is already noted.
    func record(_ tenant: TenantID) {
        guard !contains(tenant) else { return }
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: entry(tenant), contents: Data("\(Timestamp.string(Date()))\n".utf8))
    }

    /// Why `tenant`'s missing database is not re-created: for the admin, with both ways forward.
    func missingMessage(_ tenant: TenantID, path: String) -> String {
        let since = (try? String(contentsOfFile: entry(tenant), encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        return "\(path) is missing, but this tenant has had a database here\(since.map { " since \($0)" } ?? ""); "
            + "it is not re-created empty. Restore it from a backup (clinicbox restore --tenant \(tenant) FILE), "
            + "or, to start this tenant with no data on purpose, delete \(entry(tenant))"
    }
}
