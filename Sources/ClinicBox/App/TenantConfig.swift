/// The whole validated configuration of one tenant, as `GET /api/tenants/{id}/config` shows it.
struct TenantConfig: Encodable {
    struct Limits: Encodable {
        var maxUsers: Int
        var maxBranches: Int
        var requestsPerMinute: Int
    }

    var id: String
    var file: String
    var status: String
    var problems: [String]
    var name: String
    var domain: String
    var active: Bool
    var hosts: [String]
    var branding: TenantProfile.Branding
    var features: [String]
    var contact: TenantProfile.Contact
    var taxNumber: String?
    var timezone: String
    var currency: String
    var limits: Limits
    var branches: [TenantProfile.Branch]

    init(_ tenant: Tenant, registry: TenantRegistry) {
        let definition = tenant.definition
        let profile = TenantProfile(definition)
        id = profile.id
        file = tenant.file
        status = registry.staleTenants.contains(tenant.id) ? "stale" : "ok"
        problems = registry.problems.filter { $0.file == tenant.file }.map(\.description)
        name = profile.name
        domain = profile.domain
        active = definition.active
        hosts = definition.hosts
        branding = profile.branding
        features = profile.features
        contact = profile.contact
        taxNumber = definition.taxNumber
        timezone = profile.timezone
        currency = profile.currency
        limits = Limits(
            maxUsers: definition.limits.maxUsers,
            maxBranches: definition.limits.maxBranches,
            requestsPerMinute: definition.limits.requestsPerMinute
        )
        branches = profile.branches
    }
}
