import Foundation

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

    /// `CLINICBOX_TENANTS_FOLLOW_SYMLINKS=1`: follow links in the tenant folder wherever they point, for a folder
    /// managed from a checkout. Every command reads the folder the same way, so they all take it from here.
    public static var followsSymlinksByDefault: Bool {
        ProcessInfo.processInfo.environment["CLINICBOX_TENANTS_FOLLOW_SYMLINKS"] == "1"
    }

    public static func run(
        tenantsFolder: String,
        assetsFolder: String?,
        catalog: FeatureCatalog,
        followSymlinks: Bool = followsSymlinksByDefault
    ) -> Report {
        var reader = TenantFolderReader(
            folder: tenantsFolder,
            assets: AssetStore(overrideFolder: assetsFolder),
            catalog: catalog,
            followSymlinks: followSymlinks
        )
        let registry = TenantRegistry(scan: reader.scan(), previous: .empty, folder: reader.displayFolder)
        return Report(
            validTenants: registry.tenants.keys.sorted(),
            schemas: registry.tenants.mapValues(\.schema),
            definitions: registry.tenants.mapValues(\.definition),
            problems: registry.problems
        )
    }
}
