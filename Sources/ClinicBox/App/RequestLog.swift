import Hummingbird
import Logging
import Synchronization

/// What later parts of a request learn that its log line needs: the tenant it was resolved to and who signed in.
/// Shared by reference, because each child context is a copy.
final class RequestFacts: Sendable {
    private let state = Mutex<(tenant: String?, user: Int64?)>((nil, nil))

    var tenant: String? {
        get { state.withLock { $0.tenant } }
        set { state.withLock { $0.tenant = newValue } }
    }

    var user: Int64? {
        get { state.withLock { $0.user } }
        set { state.withLock { $0.user = newValue } }
    }
}

/// One line per request at `info`: method, route (the pattern, never the path with its ids or query), status,
/// duration, tenant, user id and request id. Never the query, a header, a body or a patient field.
struct RequestLog: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let status: HTTPResponse.Status
        do {
            let response = try await next(request, context)
            status = response.status
            log(request, context, status: status, since: start)
            return response
        } catch let error as any HTTPResponseError {
            log(request, context, status: error.status, since: start)
            throw error
        } catch {
            log(request, context, status: .internalServerError, since: start)
            throw error
        }
    }

    private func log(_ request: Request, _ context: Context, status: HTTPResponse.Status, since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        var metadata: Logger.Metadata = [
            "method": "\(request.method.rawValue)", "route": "\(context.endpointPath ?? "unmatched")", "status": "\(status.code)",
            "ms": "\((milliseconds * 10).rounded() / 10)",
        ]
        if let tenant = context.facts.tenant { metadata["tenant"] = "\(tenant)" }
        if let user = context.facts.user { metadata["user"] = "\(user)" }
        context.logger.info("request", metadata: metadata)
    }
}
