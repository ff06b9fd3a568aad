/// The whole validated configuration of one tenant, as `GET /api/tenants/{id}/config` shows it.
package struct TenantConfig: Encodable {
    package struct Limits: Encodable {
        package var maxUsers: Int
        package var maxBranches: Int
        package var requestsPerMinute: Int
    }

    package var id: String
    package var file: String
    package var status: String
    package var problems: [String]
    package var name: String
    package var domain: String
    package var active: Bool
    package var hosts: [String]
    package var branding: TenantProfile.Branding
    package var features: [String]
    package var contact: TenantProfile.Contact
    package var taxNumber: String?
    package var timezone: String
    package var currency: String
    package var limits: Limits
    package var branches: [TenantProfile.Branch]

    package init(_ tenant: Tenant, registry: TenantRegistry) {
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
