import Foundation

/// Opens one tenant's accounts for a command run on the box itself (`clinicbox user …`).
public enum TenantAccess {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        package init(description: String) { self.description = description }
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

    /// The tenant's definition and its database, opened (and made if need be) for a command.
    package static func open(
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
