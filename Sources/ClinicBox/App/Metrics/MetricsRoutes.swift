import Hummingbird

/// `GET /metrics` in Prometheus text format, for a scraper on the box itself or one that knows the metrics token.
/// A request that came through a proxy (it carries `X-Forwarded-For`) is never taken for a local one.
struct MetricsRoutes {
    let metrics: ServerMetrics
    let registry: LiveTenantRegistry
    let databases: TenantDatabases
    let backups: BackupScheduler
    /// `CLINICBOX_METRICS_TOKEN`: lets a scraper elsewhere in with `Authorization: Bearer <token>`.
    let token: String?

    func register(on router: Router<AppRequestContext>) {
        router.get("metrics") { request, context in
            guard isLocal(request, context) || hasToken(request) else {
                throw Problem(
                    .forbidden, title: "Metrics are private",
                    detail: "/metrics answers only clients on this machine (loopback) or a scraper that sends the metrics token (CLINICBOX_METRICS_TOKEN) as a bearer token."
                )
            }
            let body = metrics.scrape(registry: registry.current, databases: databases, backups: backups)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: body))
            )
        }
    }

    private func isLocal(_ request: Request, _ context: AppRequestContext) -> Bool {
        guard request.headers[.xForwardedFor] == nil, let address = context.remoteAddress?.ipAddress else { return false }
        return address.hasPrefix("127.") || address == "::1" || address.hasPrefix("::ffff:127.")
    }

    private func hasToken(_ request: Request) -> Bool {
        guard let token, let sent = request.bearerToken else { return false }
        return sent.equalsInConstantTime(token)
    }
}
