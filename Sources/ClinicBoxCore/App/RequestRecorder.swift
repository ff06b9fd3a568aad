import Hummingbird
import Logging
import Synchronization

/// What later parts of a request learn that its log line needs: the tenant it was resolved to and who signed in.
/// Shared by reference, because each child context is a copy.
package final class RequestFacts: Sendable {
    private let state = Mutex<(tenant: String?, user: Int64?)>((nil, nil))

    package var tenant: String? {
        get { state.withLock { $0.tenant } }
        set { state.withLock { $0.tenant = newValue } }
    }

    package var user: Int64? {
        get { state.withLock { $0.user } }
        set { state.withLock { $0.user = newValue } }
    }
}

/// Records every request: one log line at `info` (method, route — the pattern, never the path with its ids or
/// query —, status, duration, tenant, user id and request id; never the query, a header, a body or a patient field)
/// and the request metrics.
package struct RequestRecorder: RouterMiddleware {
    package typealias Context = AppRequestContext
    package let metrics: ServerMetrics

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let status: HTTPResponse.Status
        do {
            let response = try await next(request, context)
            status = response.status
            record(request, context, status: status, since: start)
            return response
        } catch let error as any HTTPResponseError {
            record(request, context, status: error.status, since: start)
            throw error
        } catch {
            record(request, context, status: .internalServerError, since: start)
            throw error
        }
    }

    private func record(_ request: Request, _ context: Context, status: HTTPResponse.Status, since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let route = context.endpointPath ?? "unmatched"
        let tenant = context.facts.tenant
        metrics.request(tenant: tenant, method: request.method.rawValue, route: route, status: Int(status.code), duration: elapsed)
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        var metadata: Logger.Metadata = [
            "method": "\(request.method.rawValue)", "route": "\(route)", "status": "\(status.code)",
            "ms": "\((milliseconds * 10).rounded() / 10)",
        ]
        if let tenant { metadata["tenant"] = "\(tenant)" }
        if let user = context.facts.user { metadata["user"] = "\(user)" }
        context.logger.info("request", metadata: metadata)
    }
}
