import Hummingbird

/// Lets a request through to a module's routes only when the resolved tenant has that module.
struct FeatureGate: RouterMiddleware {
    typealias Context = TenantRequestContext
    let feature: String

    func handle(_ request: Request, context: TenantRequestContext, next: (Request, TenantRequestContext) async throws -> Response) async throws -> Response {
        guard context.tenant.features.contains(feature) else {
            throw Problem(
                .forbidden, title: "Feature not enabled",
                detail: "feature '\(feature)' is not enabled for tenant '\(context.tenant.id)'"
            )
        }
        return try await next(request, context)
    }
}
