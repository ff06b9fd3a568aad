import Hummingbird

/// The tenant-scoped JSON API: `/api/v1/…`, reachable through every resolution method.
struct TenantAPIRoutes {
    func register(on group: RouterGroup<TenantRequestContext>) {
        // The resolved tenant's public profile, encoded when the tenant was loaded.
        group.get("api/v1/tenant") { _, context in
            Response.json(bytes: context.tenant.profileJSON)
        }
    }
}
