import Hummingbird

/// A request context that has been resolved to one tenant.
package protocol TenantScopedContext: RequestContext {
    var tenant: Tenant { get }
}

/// A tenant's request by a signed-in user, through an API token or a page session: who asks, and as whom the
/// audit trail names them.
package protocol SignedInContext: TenantScopedContext {
    var user: AuthenticatedUser { get }
    var actor: AuditActor { get }
}

extension TenantRequestContext: TenantScopedContext {}
extension AuthenticatedContext: SignedInContext {}
extension PageRequestContext: SignedInContext {}

/// Lets a request through to a module's routes only when the resolved tenant has that module. It sits after
/// sign-in (API token or page session), so a stranger hears `401` or goes to the sign-in page and never learns
/// which modules a clinic runs.
package struct FeatureGate<Context: TenantScopedContext>: RouterMiddleware {
    package let feature: String

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try context.tenant.requireFeature(feature)
        return try await next(request, context)
    }
}

extension Tenant {
    /// Refuses (`403 Feature not enabled`) unless this tenant has `feature`; `purpose` says what needs it, for a
    /// module's optional dependency (`dispensing takes stock from it`). The one place this answer is made.
    package func requireFeature(_ feature: String, for purpose: String? = nil) throws {
        guard !features.contains(feature) else { return }
        throw Problem(
            .forbidden,
            title: "Feature not enabled",
            detail: "feature '\(feature)' is not enabled for tenant '\(id)'" + (purpose.map { "; \($0)" } ?? "")
        )
    }
}
