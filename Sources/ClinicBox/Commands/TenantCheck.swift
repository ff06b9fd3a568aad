/// `clinicbox check`: validates every tenant file the way the server would, without serving anything.
public enum TenantCheck {
    public struct Report: Sendable {
        public var validTenants: [TenantID]
        public var problems: [TenantFileProblem]
        public var isClean: Bool { problems.isEmpty }
    }

    public static func run(tenantsFolder: String, assetsFolder: String) -> Report {
        var reader = TenantFolderReader(folder: tenantsFolder, assetsFolder: assetsFolder)
        let registry = TenantRegistry(scan: reader.scan(), previous: .empty, folder: reader.displayFolder)
        return Report(validTenants: registry.tenants.keys.sorted(), problems: registry.problems)
    }
}
