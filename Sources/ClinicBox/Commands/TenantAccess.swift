import Foundation

/// Opens one tenant's accounts for a command run on the box itself (`clinicbox user …`).
public enum TenantAccess {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static func accounts(
        tenant id: String,
        tenantsFolder: String,
        assetsFolder: String?,
        dataFolder: String,
        catalog: FeatureCatalog
    ) throws -> UserAccounts {
        let (definition, database) = try open(
            tenant: id,
            tenantsFolder: tenantsFolder,
            assetsFolder: assetsFolder,
            dataFolder: dataFolder,
            catalog: catalog
        )
        return UserAccounts(tenant: definition, database: database)
    }

    /// `clinicbox import-patients`: checks, and unless `dryRun` imports, the patients of the CSV file at `path`.
    public static func importPatients(
        tenant id: String,
        file path: String,
        dryRun: Bool,
        tenantsFolder: String,
        assetsFolder: String?,
        dataFolder: String,
        catalog: FeatureCatalog
    ) async throws -> PatientImport.Report {
        let (definition, database) = try open(
            tenant: id,
            tenantsFolder: tenantsFolder,
            assetsFolder: assetsFolder,
            dataFolder: dataFolder,
            catalog: catalog
        )
        guard definition.features.contains("patients") else { throw Failure(description: "tenant '\(id)' does not have the patients feature") }
        guard let data = FileManager.default.contents(atPath: path) else { throw Failure(description: "\(path): cannot be read") }
        guard let text = String(data: data, encoding: .utf8) else { throw Failure(description: "\(path): is not UTF-8 text; save the CSV as UTF-8") }
        let name = (path as NSString).lastPathComponent
        let today = CalendarDate.today(in: TimeZone(identifier: definition.timezone) ?? .current)
        return try await database.write { db in
            try PatientImport.run(db, text: text, fileName: name, definition: definition, today: today, dryRun: dryRun, actor: .commandLine)
        }
    }

    private static func open(
        tenant id: String,
        tenantsFolder: String,
        assetsFolder: String?,
        dataFolder: String,
        catalog: FeatureCatalog
    ) throws -> (TenantDefinition, TenantDatabase) {
        guard let tenantID = TenantID(id) else { throw Failure(description: "'\(id)' is not a tenant id; ids are \(TenantID.rule)") }
        var reader = TenantFolderReader(
            folder: tenantsFolder,
            assets: AssetStore(overrideFolder: assetsFolder),
            catalog: catalog,
            followSymlinks: TenantCheck.followsSymlinksByDefault
        )
        guard case .valid(let definition) = reader.scan().files[id] else {
            throw Failure(description: "no valid tenant '\(id)' in \(tenantsFolder); run `clinicbox check` to see why")
        }
        do {
            try DataFolder.prepare(dataFolder)
        } catch {
            throw Failure(description: String(describing: error))
        }
        do {
            let database = try TenantDatabase.open(
                tenantID,
                in: dataFolder,
                schema: .forTenant(definition, catalog: catalog),
                create: true,
                quickCheck: false,
                maximumReaders: 1
            )
            return (definition, database)
        } catch {
            throw Failure(description: error.message)
        }
    }
}
