import Hummingbird

/// Resolves the request's tenant before any tenant-scoped route runs, holds it to its
/// `limits.requests_per_minute`, and stamps `X-Tenant-ID` on everything the route answers, errors included.
package struct TenantMiddleware: RouterMiddleware {
    package typealias Context = AppRequestContext
    package let resolver: TenantResolver
    package let databases: TenantDatabases
    package let rateLimiter: TenantRateLimiter
    package let crossTenantWatch: CrossTenantWatch?

    package func handle(
        _ request: Request,
        context: AppRequestContext,
        next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        let pathID = context.parameters.get("tenantID")
        let tenant = try resolver.resolve(request, pathID: pathID)
        context.facts.tenant = tenant.id.rawValue
        let limit = tenant.definition.limits.requestsPerMinute
        if let wait = rateLimiter.admit(tenant.id, perMinute: limit) {
            let seconds = wait.retryAfterSeconds
            throw Problem(
                .tooManyRequests,
                title: "Too many requests",
                detail:
                    "Tenant '\(tenant.id)' allows \(limit) requests a minute (limits.requests_per_minute in its tenant file); try again in \(seconds) s.",
                headers: [.retryAfter: String(seconds), .xTenantID: tenant.id.rawValue]
            )
        }
        try ListQuery.refuseLongValues(request)
        var context = context
        context.basePath = pathID == nil ? "" : "/t/\(tenant.id)"
        context.tenant = tenant
        context.storage = TenantStorage(tenant: tenant, databases: databases)
        context.crossTenantWatch = crossTenantWatch
        context.logger[metadataKey: "tenant"] = .string(tenant.id.rawValue)
        do {
            var response = try await next(request, context)
            response.headers[.xTenantID] = tenant.id.rawValue
            return response
        } catch {
            var problem = Problem(error, path: request.uri.path, logger: context.logger)
            problem.headers[.xTenantID] = tenant.id.rawValue
            throw problem
        }
    }
}
