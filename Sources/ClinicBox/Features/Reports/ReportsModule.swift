import Hummingbird

extension PermissionAction {
    static let reportsRead = PermissionAction("reports.read", doing: "read reports")
}

/// Reports over the other modules' data, as JSON or CSV. A report of a module the tenant does not have answers
/// `403` like that module's own routes.
struct ReportsModule: FeatureModule {
    let id = "reports"
    let domains = Set(TenantDomain.allCases)
    let summary = "reports per enabled module, JSON and CSV"
    let actions: [PermissionAction: Set<Role>] = [.reportsRead: [.manager]]
    let migrations: [TenantSchema.Step] = []

    let navigation: ModuleNavigation? = ModuleNavigation(label: "Reports", action: .reportsRead)

}
