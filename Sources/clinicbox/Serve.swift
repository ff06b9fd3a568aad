import ArgumentParser
import ClinicBox
import ClinicBoxCore
import Foundation
import Logging
import NIOCore

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve every tenant in the tenant folder (the default command).")

    @Option(help: "Tenant folder [env: CLINICBOX_TENANTS] (default: ./tenants.d)") var tenants: String?
    @Option(help: "Data folder, one SQLite file per tenant [env: CLINICBOX_DATA] (default: ./data)") var data: String?
    @Option(help: "A folder whose files replace the built-in assets (templates/, static/, logos/) [env: CLINICBOX_ASSETS]") var assets: String?
    @Option(help: "Address to listen on [env: CLINICBOX_HOST] (default: 127.0.0.1)") var host: String?
    @Option(help: "Port to listen on [env: CLINICBOX_PORT] (default: 8080)") var port: Int?
    @Option(help: "{id}.<base-domain> selects tenant id [env: CLINICBOX_BASE_DOMAIN] (default: localhost)") var baseDomain: String?
    @Option(help: "Tenant for requests that name none, for a one-clinic box [env: CLINICBOX_DEFAULT_TENANT]") var defaultTenant: String?
    @Flag(inversion: .prefixedNo, help: "Reload as soon as a tenant file changes (inotify); --no-watch relies on the full re-read alone")
    var watch = true
    @Option(help: "Seconds between full re-reads of the tenant folder [env: CLINICBOX_RELOAD_INTERVAL] (default: 10 when watching, else 1)")
    var reloadInterval: Double?
    @Flag(
        help:
            "Follow symbolic links in the tenant folder wherever they point, for a folder managed from a checkout (default: only links to files inside it) [env: CLINICBOX_TENANTS_FOLLOW_SYMLINKS=1]"
    )
    var tenantsFollowSymlinks = false
    @Flag(help: "Mark session cookies Secure; use when clients reach ClinicBox over HTTPS [env: CLINICBOX_SECURE_COOKIES=1]")
    var secureCookies = false
    @Flag(help: "Believe X-Forwarded-For/-Proto from a reverse proxy in front (cookies become Secure behind HTTPS) [env: CLINICBOX_TRUST_PROXY=1]")
    var trustProxy = false
    @Option(help: "trace, debug, info, notice, warning, error or critical [env: CLINICBOX_LOG_LEVEL] (default: info)") var logLevel: String?
    @Option(help: "text or json: one line per request and per event on standard error [env: CLINICBOX_LOG_FORMAT] (default: text)") var logFormat:
        String?
    @Option(help: "Where scheduled backups go [env: CLINICBOX_BACKUPS] (default: <data>/backups)") var backups: String?
    @Option(help: "Back up each tenant this often: 30m, 6h, 1d or off; a tenant's YAML may change it [env: CLINICBOX_BACKUP_EVERY] (default: 1d)")
    var backupEvery: String?
    @Option(help: "Backups kept per tenant [env: CLINICBOX_BACKUP_KEEP] (default: 14)") var backupKeep: Int?
    @Option(help: "At SIGTERM, seconds requests in flight get to finish before they are cut off [env: CLINICBOX_SHUTDOWN_GRACE] (default: 10)")
    var shutdownGrace: Int?
    @Option(help: "Serve Prometheus metrics without a token at HOST:PORT/metrics, or off [env: CLINICBOX_METRICS_ADDRESS] (default: 127.0.0.1:9464)")
    var metricsAddress: String?
    @Option(help: "Seconds a client gets to send a request's head, however slowly it sends [env: CLINICBOX_HEADER_TIMEOUT] (default: 10)")
    var headerTimeout: Int?
    @Option(help: "Seconds a request body may pause between two reads [env: CLINICBOX_BODY_TIMEOUT] (default: 30)") var bodyTimeout: Int?
    @Option(help: "Seconds a kept-alive connection may wait for its next request [env: CLINICBOX_IDLE_TIMEOUT] (default: 60)") var idleTimeout: Int?
    @Option(help: "Connections open at once; more wait until one closes [env: CLINICBOX_MAX_CONNECTIONS] (default: 4000)") var maxConnections: Int?
    @Option(help: "/readyz fails below this much free disk, in MiB [env: CLINICBOX_MIN_FREE_MB] (default: 256)") var minFreeMb: Int?
    @Option(help: "Serve HTTPS with this PEM certificate (chain); re-read on SIGHUP [env: CLINICBOX_TLS_CERT]") var tlsCert: String?
    @Option(help: "The PEM private key of --tls-cert; re-read on SIGHUP [env: CLINICBOX_TLS_KEY]") var tlsKey: String?
    @Option(help: "With --tls-cert, also answer plain HTTP on this port with a redirect to HTTPS [env: CLINICBOX_HTTP_REDIRECT]")
    var httpRedirect: Int?

    func run() async throws {
        var configuration = AppConfiguration()
        configuration.tenantsFolder = Environment.value(tenants, "CLINICBOX_TENANTS", default: "tenants.d")
        configuration.dataFolder = Environment.value(data, "CLINICBOX_DATA", default: "data")
        configuration.assetsFolder = Environment.optional(assets, "CLINICBOX_ASSETS")
        configuration.host = Environment.value(host, "CLINICBOX_HOST", default: "127.0.0.1")
        configuration.port = try Environment.integer(port, "CLINICBOX_PORT", default: 8080)
        configuration.baseDomain = Environment.value(baseDomain, "CLINICBOX_BASE_DOMAIN", default: "localhost")
        if let text = Environment.optional(defaultTenant, "CLINICBOX_DEFAULT_TENANT") {
            guard let id = TenantID(text) else { throw ValidationError("default tenant '\(text)' is not a tenant id; ids are \(TenantID.rule)") }
            configuration.defaultTenant = id
        }
        configuration.watchTenantFiles = watch
        configuration.tenantsFollowSymlinks = tenantsFollowSymlinks || TenantCheck.followsSymlinksByDefault
        configuration.trustProxy = trustProxy || Environment.optional(nil, "CLINICBOX_TRUST_PROXY") == "1"
        configuration.secureCookies = secureCookies || Environment.optional(nil, "CLINICBOX_SECURE_COOKIES") == "1"
        if let text = Environment.optional(reloadInterval.map { "\($0)" }, "CLINICBOX_RELOAD_INTERVAL") {
            guard let seconds = Double(text), seconds >= 0.05 else {
                throw ValidationError("the reload interval must be a number of seconds, at least 0.05")
            }
            configuration.reloadInterval = .milliseconds(Int(seconds * 1000))
        }
        configuration.backupFolder = Environment.optional(backups, "CLINICBOX_BACKUPS")
        let everyText = Environment.value(backupEvery, "CLINICBOX_BACKUP_EVERY", default: "1d")
        guard let every = BackupSchedule.interval(everyText) else {
            throw ValidationError("--backup-every '\(everyText)': write \(BackupSchedule.intervalRule)")
        }
        let keep = try Environment.integer(backupKeep, "CLINICBOX_BACKUP_KEEP", default: 14)
        guard (1...1000).contains(keep) else { throw ValidationError("--backup-keep must be 1 to 1000") }
        configuration.backupSchedule = BackupSchedule(every: every, keep: keep)
        if let token = Environment.optional(nil, "CLINICBOX_METRICS_TOKEN") {
            guard token.count >= 16 else { throw ValidationError("CLINICBOX_METRICS_TOKEN must be at least 16 characters") }
            configuration.metricsToken = token
        }
        let metricsText = Environment.value(metricsAddress, "CLINICBOX_METRICS_ADDRESS", default: "127.0.0.1:9464")
        if metricsText != "off" {
            guard let address = ListenAddress(metricsText) else {
                throw ValidationError("--metrics-address '\(metricsText)': write \(ListenAddress.rule)")
            }
            configuration.metricsListener = address
        }
        for (option, value, name, keyPath) in [
            ("--header-timeout", headerTimeout, "CLINICBOX_HEADER_TIMEOUT", \ConnectionLimits.headerTimeout),
            ("--body-timeout", bodyTimeout, "CLINICBOX_BODY_TIMEOUT", \ConnectionLimits.bodyTimeout),
            ("--idle-timeout", idleTimeout, "CLINICBOX_IDLE_TIMEOUT", \ConnectionLimits.idleTimeout),
        ] {
            let seconds = try Environment.integer(value, name, default: Int(configuration.connections[keyPath: keyPath].components.seconds))
            guard (1...3600).contains(seconds) else { throw ValidationError("\(option) must be 1 to 3600 seconds") }
            configuration.connections[keyPath: keyPath] = .seconds(seconds)
        }
        configuration.connections.maximumConnections = try Environment.integer(maxConnections, "CLINICBOX_MAX_CONNECTIONS", default: 4000)
        guard (1...1_000_000).contains(configuration.connections.maximumConnections) else {
            throw ValidationError("--max-connections must be 1 to 1000000")
        }
        configuration.minimumFreeDiskBytes = UInt64(max(0, try Environment.integer(minFreeMb, "CLINICBOX_MIN_FREE_MB", default: 256))) << 20
        let grace = try Environment.integer(shutdownGrace, "CLINICBOX_SHUTDOWN_GRACE", default: 10)
        guard (0...3600).contains(grace) else { throw ValidationError("--shutdown-grace must be 0 to 3600 seconds") }
        let levelText = Environment.value(logLevel, "CLINICBOX_LOG_LEVEL", default: "info")
        guard let level = Logger.Level(rawValue: levelText) else { throw ValidationError("unknown log level '\(levelText)'") }
        switch Environment.value(logFormat, "CLINICBOX_LOG_FORMAT", default: "text") {
        case "text":
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        case "json":
            LoggingSystem.bootstrap { _ in JSONLogHandler(level: level) }
        case let other:
            throw ValidationError("unknown log format '\(other)'; use text or json")
        }
        switch (Environment.optional(tlsCert, "CLINICBOX_TLS_CERT"), Environment.optional(tlsKey, "CLINICBOX_TLS_KEY")) {
        case (let certificate?, let key?): configuration.tls = TLSCertificate.Files(certificate: certificate, key: key)
        case (nil, nil): break
        default: throw ValidationError("--tls-cert and --tls-key go together: the certificate and its private key")
        }
        if let text = Environment.optional(httpRedirect.map(String.init), "CLINICBOX_HTTP_REDIRECT") {
            guard let port = Int(text), (1...65535).contains(port) else { throw ValidationError("--http-redirect must be a port from 1 to 65535") }
            guard configuration.tls != nil else {
                throw ValidationError("--http-redirect sends plain HTTP to HTTPS: it needs --tls-cert and --tls-key")
            }
            configuration.httpRedirectPort = port
        }
        configuration.logger = Logger(label: "clinicbox")
        guard FileManager.default.fileExists(atPath: configuration.tenantsFolder) else {
            throw ValidationError("the tenant folder \(configuration.tenantsFolder) does not exist; create it or point --tenants at it")
        }
        do {
            let server = try await ClinicBoxServer.build(configuration)
            try await server.run(shutdownGrace: .seconds(grace))
            // Closing the last connection of each database checkpoints its WAL into the main file.
            let open = server.databases.openCount
            server.databases.closeAll()
            configuration.logger.info("stopped; \(open) open tenant database(s) checkpointed and closed")
        } catch let problem as TLSCertificate.Problem {
            throw CommandFailure("HTTPS cannot start: \(problem)")
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            if let metrics = configuration.metricsListener {
                throw ValidationError(
                    "port \(configuration.port) on \(configuration.host) or the metrics address \(metrics) is already in use; stop the other server, or choose another --port or --metrics-address (off: no metrics listener)"
                )
            }
            throw ValidationError(
                "port \(configuration.port) on \(configuration.host) is already in use; stop the other server or choose another --port"
            )
        }
    }
}
