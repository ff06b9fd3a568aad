import Hummingbird

/// Reports over the other modules' data, as JSON or CSV. A report of a module the tenant does not have answers
/// `403` like that module's own routes.
struct ReportsModule: FeatureModule {
    let id = "reports"
    let domains = Set(TenantDomain.allCases)
    let summary = "reports per enabled module, JSON and CSV"
    let actions: [String: Set<Role>] = ["reports.read": [.manager]]
    let migrations: [TenantSchema.Step] = []

    func registerRoutes(on group: RouterGroup<AuthenticatedContext>) {
        group.get { _, context in try await ReportRoutes.index(context) }
        group.get(":report") { request, context in try await ReportRoutes.run(request, context) }
    }

    let navigation: ModuleNavigation? = ModuleNavigation(label: "Reports", action: "reports.read")

    func registerPages(on group: RouterGroup<PageRequestContext>, pages: Pages) {
        ReportPages(pages: pages).register(on: group)
    }
}
