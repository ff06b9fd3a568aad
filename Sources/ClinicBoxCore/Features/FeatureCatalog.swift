/// Every feature module this binary knows, and the rules for enabling them.
///
/// The server is given one (`AppConfiguration.catalog`) and everything that depends on the modules reads it
/// from there: tenant-file validation, each tenant's schema and permissions, the router, the OpenAPI document,
/// the navigation and the dashboard. A test can therefore add a module of its own.
public struct FeatureCatalog: Sendable {
    package let modules: [any FeatureModule]
    private let byID: [String: any FeatureModule]
    /// What each role may do with these modules.
    public let permissions: Permissions
    /// Every migration step of every module, enabled by a tenant or not: a database with a step outside these
    /// (and the core's) was written by a newer ClinicBox.
    package let stepIDs: Set<String>

    package init(modules: [any FeatureModule]) {
        for module in modules where module.partOf != nil {
            precondition(modules.contains { $0.id == module.partOf && $0.partOf == nil }, "\(module.id) is part of an unknown module")
        }
        self.modules = modules
        self.byID = Dictionary(uniqueKeysWithValues: modules.map { ($0.id, $0) })
        self.permissions = Permissions(modules: modules)
        self.stepIDs = Set(modules.flatMap { $0.migrations.map(\.id) })
    }

    package func module(_ id: String) -> (any FeatureModule)? { byID[id] }

    /// Ids a tenant file may list (parts come with their whole and are not listed).
    public var ids: [String] { modules.filter { $0.partOf == nil }.map(\.id) }

    /// The modules switched on by a tenant file's `features:`: those listed and the parts of those listed, in
    /// catalogue order.
    package func switchedOn(_ listed: [String]) -> [String] {
        modules.filter { listed.contains($0.id) || $0.partOf.map(listed.contains) == true }.map(\.id)
    }

    /// Every module's reports, each marked with the module that declares it.
    package var reports: [Report] {
        modules.flatMap { module in
            module.reports.map { report in
                var report = report
                report.module = module.id
                return report
            }
        }
    }

    /// Ids of modules a tenant of `domain` may enable.
    public func ids(allowedFor domain: TenantDomain) -> [String] {
        modules.filter { $0.domains.contains(domain) && $0.partOf == nil }.map(\.id)
    }
}
