import Hummingbird

/// Reads a query string as `application/x-www-form-urlencoded`, which is what a page's GET form sends: a `+` is
/// a space (a literal plus arrives as `%2B`). Hummingbird decodes only `%XX`, so "Hans Müller" typed into a search
/// box would reach every handler as `Hans+Müller`. Rewriting the query once, before any handler reads it, gives
/// pages and the API one rule.
package struct FormQueryDecoding<Context: RequestContext>: RouterMiddleware {
    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let path = request.head.path, let start = path.firstIndex(of: "?"), path[start...].contains("+") else {
            return try await next(request, context)
        }
        var head = request.head
        head.path = String(path[..<start]) + path[start...].replacingOccurrences(of: "+", with: "%20")
        return try await next(Request(head: head, body: request.body), context)
    }
}
