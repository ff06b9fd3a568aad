import Foundation
import Metrics
import Prometheus
import Synchronization

/// The server's metrics, recorded through swift-metrics into its own Prometheus registry (one per server, so tests
/// and the binary never share counters). Counters move as things happen; gauges are set when `/metrics` is read.
public final class ServerMetrics: Sendable {
    package let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    /// Tenants that have per-tenant gauges, so a removed tenant's series go away instead of freezing.
    private let gaugedTenants = Mutex<Set<TenantID>>([])

    public init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(10),
        ]
        self.factory = factory
    }

    /// One answered request. `route` is the pattern (`/api/v1/patients/{id}`), never a path with ids, so series stay few.
    package func request(tenant: String?, method: String, route: String, status: Int, duration: Duration) {
        let labels = [("tenant", tenant ?? ""), ("method", method), ("route", route)]
        Metrics.Counter(label: "clinicbox_http_requests_total", dimensions: labels + [("status", String(status))], factory: factory).increment()
        Metrics.Timer(label: "clinicbox_http_request_duration_seconds", dimensions: labels, factory: factory).recordNanoseconds(
            duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        )
        if status >= 500 { Metrics.Counter(label: "clinicbox_http_server_errors_total", dimensions: labels, factory: factory).increment() }
    }

    package func failedLogin(tenant: TenantID) {
        Metrics.Counter(label: "clinicbox_failed_logins_total", dimensions: [("tenant", tenant.rawValue)], factory: factory).increment()
    }

    /// A credential or sign-in email of another tenant was presented at `tenant` (`CrossTenantWatch`).
    package func crossTenantCredential(tenant: TenantID) {
        Metrics.Counter(label: "clinicbox_cross_tenant_credentials_total", dimensions: [("tenant", tenant.rawValue)], factory: factory).increment()
    }

    /// A reload that changed the registry, and how many tenant-file problems it found that were not there before.
    package func reloaded(newProblems: Int) {
        Metrics.Counter(label: "clinicbox_tenant_reloads_total", factory: factory).increment()
        Metrics.Counter(label: "clinicbox_tenant_reload_errors_total", factory: factory).increment(by: newProblems)
    }

    /// Sets the gauges from the server's state and returns the registry in Prometheus text format.
    package func scrape(registry tenants: TenantRegistry, databases: TenantDatabases, backups: BackupScheduler, now: Date = Date()) -> [UInt8] {
        gauge("clinicbox_tenants").record(tenants.tenants.count)
        gauge("clinicbox_tenant_file_problems").record(tenants.problems.count)
        gauge("clinicbox_open_databases").record(databases.openCount)
        for id in tenants.tenants.keys {
            let labels = [("tenant", id.rawValue)]
            gauge("clinicbox_database_bytes", labels).record(databases.fileBytes(id))
            gauge("clinicbox_database_problem", labels).record(databases.problems[id] == nil ? 0 : 1)
            gauge("clinicbox_backup_failing", labels).record(backups.failure(id) == nil ? 0 : 1)
            if let last = backups.currentAsOf(id) {
                gauge("clinicbox_backup_age_seconds", labels).record(now.timeIntervalSince(last).rounded())
            }
        }
        let gone = gaugedTenants.withLock { gauged in
            defer { gauged = Set(tenants.tenants.keys) }
            return gauged.subtracting(tenants.tenants.keys)
        }
        for id in gone {
            for name in ["clinicbox_database_bytes", "clinicbox_database_problem", "clinicbox_backup_failing", "clinicbox_backup_age_seconds"] {
                gauge(name, [("tenant", id.rawValue)]).destroy()
            }
        }
        return registry.emitToBuffer()
    }

    private func gauge(_ name: String, _ labels: [(String, String)] = []) -> Metrics.Gauge {
        Metrics.Gauge(label: name, dimensions: labels, factory: factory)
    }
}
