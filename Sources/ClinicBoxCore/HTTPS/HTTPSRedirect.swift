import Hummingbird
import Logging

/// `--http-redirect PORT`: a plain-HTTP listener beside the HTTPS one that serves nothing and answers every request
/// with a permanent redirect to the same host and path over HTTPS, so a bookmark or a typed address still arrives.
package enum HTTPSRedirect {
    package static func application(host: String, port: Int, httpsPort: Int, logger: Logger) -> Application<RouterResponder<BasicRequestContext>> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: Redirecting(httpsPort: httpsPort))
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "ClinicBox"),
            onServerRunning: { channel in
                logger.info("plain HTTP on port \(channel.localAddress?.port ?? port) redirects to HTTPS on port \(httpsPort)")
            },
            logger: logger
        )
    }

    /// The HTTPS address of `request`: its host name without the port, the HTTPS port unless it is 443.
    package static func location(of request: Request, httpsPort: Int) -> String {
        let authority = request.head.authority ?? request.headers[.host] ?? "localhost"
        let host: Substring =
            if authority.hasPrefix("[") { authority.prefix { $0 != "]" } + "]" } else { authority.split(separator: ":").first ?? "localhost" }
        let port = httpsPort == 443 ? "" : ":\(httpsPort)"
        return "https://\(host)\(port)\(request.uri.path)\(request.uri.query.map { "?\($0)" } ?? "")"
    }

    struct Redirecting: RouterMiddleware {
        typealias Context = BasicRequestContext
        let httpsPort: Int

        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
            // 308 keeps the method and body: a form posted to the old address is posted again over HTTPS.
            Response(status: .permanentRedirect, headers: [.location: HTTPSRedirect.location(of: request, httpsPort: httpsPort)])
        }
    }
}

/// `SIGHUP` re-reads the certificate and key; a bad file is logged by name and the pair in use stays.
package enum TLSReload {
    package static func reload(_ certificate: TLSCertificate, logger: Logger) {
        do {
            let pair = try certificate.reload()
            let day = pair.notValidAfter.formatted(.iso8601.year().month().day())
            logger.notice("TLS certificate reloaded from \(certificate.files.certificate); valid until \(day)")
        } catch {
            logger.error("TLS certificate not reloaded, the one in use stays: \(error)")
        }
    }
}
