import Hummingbird

/// Answers an error on a tenant's page as a page of that tenant — its name, colours and logo, and the way home —
/// rather than the plain error page used before a tenant is known. Never a stack trace or SQL: the same `Problem`
/// text as the API.
package struct PageErrors: RouterMiddleware {
    package typealias Context = TenantRequestContext
    package let pages: Pages

    package func handle(
        _ request: Request,
        context: TenantRequestContext,
        next: (Request, TenantRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = Problem(error, path: request.uri.path, logger: context.logger)
            var data: [String: Any] = ["title": problem.title, "detail": problem.detail]
            if let requestID = context.logger[metadataKey: "hb.request.id"]?.description { data["requestID"] = requestID }
            return pages.publicPage(context, "error", title: problem.title, data: data, status: problem.status, headers: problem.headers)
        }
    }
}
