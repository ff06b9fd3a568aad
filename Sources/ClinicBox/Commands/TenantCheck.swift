/// `clinicbox check`: validates every tenant file the way the server would, without serving anything.
public enum TenantCheck {
    public struct Report: Sendable {
        public var validTenants: [TenantID]
        /// The database schema each valid tenant needs, from its enabled features.
        public var schemas: [TenantID: TenantSchema]
        public var definitions: [TenantID: TenantDefinition]
        public var problems: [TenantFileProblem]
        public var isClean: Bool { problems.isEmpty }
    }

    public static func run(tenantsFolder: String, assetsFolder: String?) -> Report {
        var reader = TenantFolderReader(folder: tenantsFolder, assets: AssetStore(overrideFolder: assetsFolder))
        let registry = TenantRegistry(scan: reader.scan(), previous: .empty, folder: reader.displayFolder)
        return Report(
            validTenants: registry.tenants.keys.sorted(), schemas: registry.tenants.mapValues(\.schema),
            definitions: registry.tenants.mapValues(\.definition), problems: registry.problems
        )
    }
}
