import Foundation
import GRDB
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1

/// Turns every error into a `Problem`: the router's own 404/405, decoding errors, and anything unexpected
/// (logged with its detail, answered without it).
package struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            throw Problem(error, path: request.uri.path, logger: context.logger)
        }
    }
}

extension Problem {
    /// The problem to answer for any error thrown while handling a request to `path`.
    package init(_ error: any Error, path: String, logger: Logger) {
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
        case is CancellationError:
            logger.notice("request cut off: the server is stopping")
            self.init(
                .serviceUnavailable,
                title: "Server stopping",
                detail: "The server is restarting; try again in a moment.",
                headers: [.retryAfter: "5"]
            )
        case let error where Self.isClientGone(error):
            // Nobody is left to answer: not a server error, and not worth an alarm (nginx logs these as 499).
            logger.notice("connection ended before its request was read: the client gave up, or was too slow")
            self.init(.clientClosedRequest, title: "Client closed request", detail: "The client closed the connection before its request was read.")
        case let error as DatabaseError:
            // Only SQLite's own message: the statement and its arguments may hold patient fields.
            logger.error("database error", metadata: ["code": "\(error.extendedResultCode)", "message": "\(error.message ?? "")"])
            self = Problem.storage(error.resultCode)
        default:
            logger.error("unexpected error", metadata: ["error": "\(String(reflecting: error))"])
            self.init(.internalServerError, title: "Internal error", detail: "Something went wrong on the server; it has been logged.")
        }
    }
}

extension Problem {
    /// The connection ended under a request that was still being read: the client gave up, or was too slow.
    package static func isClientGone(_ error: any Error) -> Bool {
        switch error {
        case HTTPParserError.invalidEOFState, ChannelError.eof, ChannelError.ioOnClosedChannel, ChannelError.alreadyClosed: true
        case let error as IOError: [ECONNRESET, EPIPE].contains(error.errnoCode)
        default: false
        }
    }
}

extension HTTPResponse.Status {
    /// nginx's status for a request whose client went away before it could be answered.
    package static let clientClosedRequest = HTTPResponse.Status(code: 499, reasonPhrase: "Client Closed Request")
}

extension Problem {
    /// What a user is told when SQLite refuses: a `503` that says nothing was saved, and whom to tell.
    package static func storage(_ code: ResultCode) -> Problem {
        let (title, detail): (String, String) =
            switch code {
            case .SQLITE_FULL:
                ("Disk full", "The server's disk is full, so this change was not saved. Reading still works; tell the administrator.")
            case .SQLITE_READONLY:
                ("Database is read-only", "This clinic's database cannot be written right now, so this change was not saved; tell the administrator.")
            case .SQLITE_CORRUPT, .SQLITE_NOTADB:
                (
                    "Database damaged",
                    "This clinic's database is damaged, so the request was not carried out; the administrator must restore it from a backup."
                )
            case .SQLITE_BUSY, .SQLITE_LOCKED:
                ("Database busy", "The database was busy for too long; nothing was changed. Try again.")
            default:
                (
                    "Storage error",
                    "The database could not be read or written (SQLite error \(code.rawValue)); nothing was changed. Tell the administrator."
                )
            }
        return Problem(
            .serviceUnavailable,
            title: title,
            detail: detail,
            headers: code == .SQLITE_BUSY || code == .SQLITE_LOCKED ? [.retryAfter: "1"] : [:]
        )
    }
}
