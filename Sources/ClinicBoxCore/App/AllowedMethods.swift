import HTTPTypes
import Hummingbird
import Synchronization

/// Which methods each route pattern answers, filled once when the router is built. The router itself only says
/// "not found"; with this, a path that exists under another method is `405 Method Not Allowed` with `Allow`.
package final class AllowedMethods: Sendable {
    private let table = Mutex<[(segments: [Substring], methods: Set<String>)]>([])

    /// Takes the router's routes (`/t/{tenantID}/api/v1/patients/{id}` and the like).
    package func load(_ routes: [(path: String, method: HTTPRequest.Method)]) {
        var byPath: [String: Set<String>] = [:]
        for route in routes { byPath[route.path, default: []].insert(route.method.rawValue) }
        table.withLock { table in
            table = byPath.map { (segments: $0.key.split(separator: "/"), methods: $0.value) }
        }
    }

    /// The methods `path` answers, sorted, or empty when no route has this path. Only asked on the way to a 404.
    package func methods(for path: String) -> [String] {
        let segments = path.split(separator: "/")
        // As the router does, a literal segment wins over a parameter: `/treatments/plan` is not `/treatments/{id}`.
        let found = table.withLock { table in
            let matching = table.filter { Self.matches($0.segments, segments) }
            let best = matching.map { Self.literals($0.segments) }.max() ?? 0
            return matching.filter { Self.literals($0.segments) == best }.reduce(into: Set<String>()) { $0.formUnion($1.methods) }
        }
        return found.sorted()
    }

    private static func literals(_ pattern: [Substring]) -> Int {
        pattern.filter { !($0.hasPrefix(":") || $0.hasPrefix("{") || $0.hasPrefix("*")) }.count
    }

    private static func matches(_ pattern: [Substring], _ path: [Substring]) -> Bool {
        if pattern.last == "**" { return path.count >= pattern.count - 1 && zip(pattern.dropLast(), path).allSatisfy(segmentMatches) }
        return pattern.count == path.count && zip(pattern, path).allSatisfy(segmentMatches)
    }

    private static func segmentMatches(_ pattern: Substring, _ segment: Substring) -> Bool {
        pattern == segment || pattern == "*" || pattern.hasPrefix(":") || (pattern.hasPrefix("{") && pattern.hasSuffix("}"))
    }
}

/// The router's "not found" for a path that exists under other methods becomes `405` with `Allow`.
package struct MethodNotAllowed<Context: RequestContext>: RouterMiddleware {
    package let allowedMethods: AllowedMethods

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && error.body == nil {
            let allowed = allowedMethods.methods(for: request.uri.path)
            guard !allowed.isEmpty else { throw error }
            throw Problem(
                .methodNotAllowed,
                title: "Method not allowed",
                detail: "\(TenantResolver.printable(request.uri.path)) answers \(allowed.joined(separator: ", ")), not \(request.method.rawValue).",
                headers: [.allow: allowed.joined(separator: ", ")]
            )
        }
    }
}
