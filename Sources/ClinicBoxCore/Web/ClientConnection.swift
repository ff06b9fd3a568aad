import HTTPTypes
import Hummingbird
import NIOCore

/// Who is on the other end: the client's address and whether it reached us over HTTPS.
/// Forwarded headers are believed only with `--trust-proxy` (ClinicBox behind a reverse proxy on the box),
/// because anyone can send them.
public struct ClientConnection: Sendable {
    public var address: String
    public var viaHTTPS: Bool

    package static func of(_ request: Request, peer: SocketAddress?, trustProxy: Bool, overTLS: Bool = false) -> ClientConnection {
        let peerAddress = peer?.ipAddress ?? "unknown"
        if overTLS { return ClientConnection(address: peerAddress, viaHTTPS: true) }  // the box serves HTTPS itself
        guard trustProxy else { return ClientConnection(address: peerAddress, viaHTTPS: false) }
        // The proxy appends the address it saw last; earlier entries are whatever the client claimed.
        let forwardedFor = request.headers[values: .xForwardedFor].last?.split(separator: ",").last.map { String($0).trimmingSpaces }
        let proto = request.headers[values: .xForwardedProto].last?.lowercased()
        return ClientConnection(address: forwardedFor ?? peerAddress, viaHTTPS: proto == "https")
    }
}

/// Works out the `ClientConnection` once per request, before anything needs it.
package struct ClientConnectionMiddleware: RouterMiddleware {
    package typealias Context = AppRequestContext
    package let trustProxy: Bool
    /// The server itself speaks TLS (`--tls-cert`): every request came over HTTPS.
    package var overTLS = false

    package func handle(
        _ request: Request,
        context: AppRequestContext,
        next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.client = ClientConnection.of(request, peer: context.remoteAddress, trustProxy: trustProxy, overTLS: overTLS)
        return try await next(request, context)
    }
}

extension HTTPField.Name {
    package static let xForwardedFor = Self("X-Forwarded-For")!
    package static let xForwardedProto = Self("X-Forwarded-Proto")!
}
