import ArgumentParser
import ClinicBox
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
    @Flag(help: "Mark session cookies Secure; use when clients reach ClinicBox over HTTPS [env: CLINICBOX_SECURE_COOKIES=1]")
    var secureCookies = false
    @Flag(help: "Believe X-Forwarded-For/-Proto from a reverse proxy in front (cookies become Secure behind HTTPS) [env: CLINICBOX_TRUST_PROXY=1]")
    var trustProxy = false
    @Option(help: "trace, debug, info, notice, warning, error or critical [env: CLINICBOX_LOG_LEVEL] (default: info)") var logLevel: String?

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
        configuration.trustProxy = trustProxy || Environment.optional(nil, "CLINICBOX_TRUST_PROXY") == "1"
        configuration.secureCookies = secureCookies || Environment.optional(nil, "CLINICBOX_SECURE_COOKIES") == "1"
        if let text = Environment.optional(reloadInterval.map { "\($0)" }, "CLINICBOX_RELOAD_INTERVAL") {
            guard let seconds = Double(text), seconds >= 0.05 else { throw ValidationError("the reload interval must be a number of seconds, at least 0.05") }
            configuration.reloadInterval = .milliseconds(Int(seconds * 1000))
        }
        let levelText = Environment.value(logLevel, "CLINICBOX_LOG_LEVEL", default: "info")
        guard let level = Logger.Level(rawValue: levelText) else { throw ValidationError("unknown log level '\(levelText)'") }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        configuration.logger = Logger(label: "clinicbox")
        guard FileManager.default.fileExists(atPath: configuration.tenantsFolder) else {
            throw ValidationError("the tenant folder \(configuration.tenantsFolder) does not exist; create it or point --tenants at it")
        }
        do {
            let server = try await ClinicBoxServer.build(configuration)
            try await server.application.runService()
            // Closing the last connection of each database checkpoints its WAL into the main file.
            server.databases.closeAll()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw ValidationError("port \(configuration.port) on \(configuration.host) is already in use; stop the other server or choose another --port")
        }
    }
}
