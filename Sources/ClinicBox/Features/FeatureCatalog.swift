/// Every feature module this binary knows, and the rules for enabling them.
public struct FeatureCatalog: Sendable {
    let modules: [any FeatureModule]
    private let byID: [String: any FeatureModule]

    init(modules: [any FeatureModule]) {
        self.modules = modules
        self.byID = Dictionary(uniqueKeysWithValues: modules.map { ($0.id, $0) })
    }

    /// The modules that ship with ClinicBox. Adding a module = one line here.
    public static let standard = FeatureCatalog(modules: [
        PatientsModule(),
        AppointmentsModule(),
        TreatmentsModule(),
        PrescriptionsModule(),
        InventoryModule(),
        SalesModule(),
        ReportsModule(),
    ])

    func module(_ id: String) -> (any FeatureModule)? { byID[id] }

    public var ids: [String] { modules.map(\.id) }

    /// Every module's reports, each marked with the module that declares it.
    var reports: [Report] {
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
        modules.filter { $0.domains.contains(domain) }.map(\.id)
    }
}
