import Hummingbird

/// `GET /metrics` in Prometheus text format. On the main listener it answers only a scraper that sends the metrics
/// token: a reverse proxy on the box forwards other people's requests from loopback, often without any header
/// that says so, so loopback proves nothing there. The metrics listener (`--metrics-address`, loopback by default)
/// serves the same text without a token.
package struct MetricsAPI {
    package let metrics: ServerMetrics
    package let registry: LiveTenantRegistry
    package let databases: TenantDatabases
    package let backups: BackupScheduler
    /// `CLINICBOX_METRICS_TOKEN`: lets a scraper in on the main listener with `Authorization: Bearer <token>`.
    package let token: String?

    /// The main listener's `/metrics`: the token or nothing (the handler checks it; it is no user's permission).
    package var endpoints: [Endpoint<AppRequestContext>] {
        [
            Endpoint(
                .get(
                    "metrics",
                    "Prometheus metrics: the metrics token as a bearer token (the metrics listener, --metrics-address, needs none)",
                    response: .text("text/plain")
                ).allowing("the metrics token")
            ) {
                request,
                _ in try answer(request)
            }
        ]
    }

    private func answer(_ request: Request) throws -> Response {
        guard hasToken(request) else {
            throw Problem(
                .unauthorized,
                title: "Metrics are private",
                detail:
                    "/metrics on this address answers only a scraper that sends the metrics token (CLINICBOX_METRICS_TOKEN) as a bearer token; without one, scrape the metrics listener (--metrics-address, by default 127.0.0.1:9464).",
                headers: [.wwwAuthenticate: "Bearer"]
            )
        }
        return scrape()
    }

    /// The metrics listener's `/metrics`: reachable only where it listens, so no token.
    package func registerOpen<Context: RequestContext>(on router: Router<Context>) {
        router.get("metrics") { _, _ in scrape() }
    }

    private func scrape() -> Response {
        let body = metrics.scrape(registry: registry.current, databases: databases, backups: backups)
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: body))
        )
    }

    private func hasToken(_ request: Request) -> Bool {
        guard let token, let sent = request.bearerToken else { return false }
        return sent.equalsInConstantTime(token)
    }
}
