import Hummingbird

/// The tenant-scoped JSON API: `/api/v1/…`, reachable through every resolution method.
package struct TenantProfileAPI {
    package var endpoints: [Endpoint<TenantRequestContext>] {
        [
            // The resolved tenant's public profile, encoded when the tenant was loaded.
            Endpoint(.get("api/v1/tenant", "The resolved tenant's public profile", response: .json(.freeForm)).open, use: profile)
        ]
    }

    package func profile(_: Request, _ context: TenantRequestContext) async throws -> Response { Response.json(bytes: context.tenant.profileJSON) }
}
