import GRDB
import Hummingbird

/// A feature module a tenant can switch on in its YAML `features:` list: one folder under `Features/` and one
/// line in the catalogue's `standard` list (see `README.md` beside this file).
///
/// The core only ever iterates `FeatureCatalog.modules`; it never switches on a module's id.
package protocol FeatureModule: Sendable {
    /// The id written in tenant YAML, e.g. `inventory`.
    var id: String { get }
    /// The tenant domains that may enable this module.
    var domains: Set<TenantDomain> { get }
    /// Modules that must be enabled too (`sales` needs `inventory`).
    var dependencies: [String] { get }
    /// The module this one is part of (`clinical` and `documents` are parts of `patients`): switched on and off with
    /// it, never listed in a tenant's `features:` itself, its pages mounted beside that module's (`/patients/…`). A
    /// part is a module of its own in the code, so the modules that need it import it by name.
    var partOf: String? { get }
    /// One line for `clinicbox tenant new` and the YAML reference.
    var summary: String { get }
    /// The module's permission actions (`prescriptions.dispense`) and the roles below admin that may do them.
    /// Admins may do every action; branch scope is applied on top.
    var actions: [PermissionAction: Set<Role>] { get }
    /// The module's tables, namespaced (`patients.v1`); they run when a tenant enables the module and are
    /// never dropped when it is disabled.
    var migrations: [TenantSchema.Step] { get }
    /// The module's JSON endpoints, mounted at `/api/v1/<id>` behind bearer authentication and the feature gate;
    /// each is registered, checked and documented from this one declaration.
    var endpoints: [Endpoint<AuthenticatedContext>] { get }
    /// Endpoints of records it owns that callers reach by their own id, mounted at `/api/v1/<name>` behind this
    /// module's gate (`documents` serves `/api/v1/patients/{id}/documents`). A name is another module's id only
    /// where this one is part of it or needs it.
    var resourceEndpoints: [String: [Endpoint<AuthenticatedContext>]] { get }
    /// The schemas its endpoints name (`Patient`, `PatientInput`) in the OpenAPI document.
    var schemas: [String: OpenAPISchema] { get }
    /// The module's entry in the page navigation; nil when it has no pages.
    var navigation: ModuleNavigation? { get }
    /// The module's pages, mounted at `/<id>` (a part's at its whole's, `/patients`) behind a signed-in session and the feature gate; each declares the
    /// action checked before its handler. They render the templates of `templateFolder`.
    func pageEndpoints(_ pages: ModulePages) -> [Endpoint<PageRequestContext>]
    /// The folder of its page templates, `Assets/templates/<folder>/` (default: the module id).
    var templateFolder: String { get }
    /// The module's reports (its own SQL over its own tables), offered by the reports module where this one is on.
    var reports: [Report] { get }
    /// Modules this one works without but does more with, and what they add (`inventory`: dispensing takes stock
    /// from it). A route that needs one answers the one "feature not enabled" problem without it.
    var optionalDependencies: [String: String] { get }
    /// What it adds to a patient's chart: buttons, timeline entries and panels.
    var chart: ChartContribution { get }
    /// Work it records that billing charges for (a done treatment, a signed visit); none by default.
    var billables: [BillableSource] { get }
    /// Money it takes in at a till, for the cash-up; none by default.
    var takings: [TakingsSource] { get }
    /// The chart page itself, from the one module that shows it (clinical); other modules' forms on the chart go
    /// back to it when refused (`ModulePages.chart`).
    func chartPage(_ pages: ModulePages) -> (any ChartPage)?
    /// The records its audit entries name, how each is named and linked, and its actions in words (`booked {}`).
    /// What it puts in a patient's own copy of their record (`PatientExport`); nothing by default.
    var patientExport: [PatientExportTable] { get }
    var auditRecords: [AuditRecordKind] { get }
    /// What the module shows on the dashboard for this user today (none, one or more cards).
    func dashboardCards(_ context: PageRequestContext) async throws -> [DashboardCard]
}

extension FeatureModule {
    package var dependencies: [String] { [] }
    package var partOf: String? { nil }
    /// Where its pages are mounted and which navigation entry they mark: its own id, or its whole's.
    package var pagePath: String { partOf ?? id }
    package var endpoints: [Endpoint<AuthenticatedContext>] { [] }
    package var resourceEndpoints: [String: [Endpoint<AuthenticatedContext>]] { [:] }
    /// Every API mount of the module: its own id first, then its resources.
    package var apiMounts: [(path: String, endpoints: [Endpoint<AuthenticatedContext>])] {
        [(id, endpoints)] + resourceEndpoints.sorted { $0.key < $1.key }.map { (path: $0.key, endpoints: $0.value) }
    }
    package var navigation: ModuleNavigation? { nil }
    package var reports: [Report] { [] }
    package var optionalDependencies: [String: String] { [:] }
    package func pageEndpoints(_ pages: ModulePages) -> [Endpoint<PageRequestContext>] { [] }
    package var templateFolder: String { id }
    package var chart: ChartContribution { ChartContribution() }
    package var billables: [BillableSource] { [] }
    package var takings: [TakingsSource] { [] }
    package func chartPage(_ pages: ModulePages) -> (any ChartPage)? { nil }
    package var auditRecords: [AuditRecordKind] { [] }
    package var patientExport: [PatientExportTable] { [] }
    package func dashboardCards(_ context: PageRequestContext) async throws -> [DashboardCard] { [] }
}
