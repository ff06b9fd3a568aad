import ClinicBoxCore
import Hummingbird

extension PermissionAction {
    package static let reportsRead = PermissionAction("reports.read", doing: "read reports")
}

/// Reports over the other modules' data, as JSON or CSV. A report of a module the tenant does not have answers
/// `403` like that module's own routes.
package struct ReportsModule: FeatureModule {
    package let id = "reports"
    package let domains = Set(TenantDomain.allCases)
    package let summary = "reports per enabled module, JSON and CSV"
    package let actions: [PermissionAction: Set<Role>] = [.reportsRead: [.manager]]
    package let migrations: [TenantSchema.Step] = []

    package let navigation: ModuleNavigation? = ModuleNavigation(label: "Reports", action: .reportsRead)

    package init() {}
}
