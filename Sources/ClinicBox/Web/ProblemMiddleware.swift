import Hummingbird
import Logging

/// Turns every error into a `Problem`: the router's own 404/405, decoding errors, and anything unexpected
/// (logged with its detail, answered without it).
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            throw Problem(error, path: request.uri.path, logger: context.logger)
        }
    }
}

extension Problem {
    /// The problem to answer for any error thrown while handling a request to `path`.
    init(_ error: any Error, path: String, logger: Logger) {
        switch error {
        case let problem as Problem:
            self = problem
        case let error as HTTPError:
            let detail =
                switch error.status {
                case .notFound: "There is nothing at \(TenantResolver.printable(path))."
                case .methodNotAllowed: "This method is not allowed on \(TenantResolver.printable(path))."
                default: "The request could not be handled."
                }
            self.init(error.status, title: error.status.reasonPhrase, detail: error.body ?? detail, headers: error.headers)
        case let error as any HTTPResponseError:
            self.init(error.status, title: error.status.reasonPhrase, detail: "The request could not be handled.")
        default:
            logger.error("unexpected error", metadata: ["error": "\(String(reflecting: error))"])
            self.init(.internalServerError, title: "Internal error", detail: "Something went wrong on the server; it has been logged.")
        }
    }
}
