import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import ServiceLifecycle

/// A fully assembled ClinicBox: the HTTP application plus the parts tests and commands need to reach.
public struct ClinicBoxServer: Sendable {
    public let application: Application<RouterResponder<AppRequestContext>>
    public let registry: LiveTenantRegistry
    public let reloader: TenantReloader
    public let databases: TenantDatabases
    public let backups: BackupScheduler
    /// The one-time links that make each tenant's first admin.
    public let setupLinks: SetupLinks
    /// The metrics listener (`AppConfiguration.metricsListener`), run beside the main one; nil when it is off.
    public let metricsApplication: Application<RouterResponder<BasicRequestContext>>?
    /// The plain-HTTP listener that sends every request to HTTPS (`--http-redirect`); nil when there is none.
    public let redirectApplication: Application<RouterResponder<BasicRequestContext>>?
    /// Serves until SIGTERM or SIGINT, then stops taking connections and lets requests in flight finish for at most
    /// `shutdownGrace`; after that they are cancelled, so a stuck client cannot hold a restart up for ever.
    public func run(shutdownGrace: Duration) async throws {
        var configuration = ServiceGroupConfiguration(
            services: [application] + (metricsApplication.map { [$0] } ?? []) + (redirectApplication.map { [$0] } ?? []),
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: application.logger
        )
        configuration.maximumGracefulShutdownDuration = shutdownGrace
        try await ServiceGroup(configuration: configuration).run()
    }

    /// Every route the router serves, as `GET /api/v1/patients/{id}`, for the test that keeps the OpenAPI document true.
    public let routes: [String]
    /// The same routes with the permission each checks and its module: what `clinicbox routes` prints.
    public let routeTable: RouteTable

    /// Loads `tenants.d/` once (so the first request already sees every valid tenant) and builds the app.
    public static func build(_ configuration: AppConfiguration) async throws -> ClinicBoxServer {
        let logger = configuration.logger
        try DataFolder.prepare(configuration.dataFolder)
        let parts = try ServerParts(configuration)
        let routeList = parts.routeList
        try routeList.checkTemplates(parts.pages.renderer)
        await parts.reloader.reload()
        let router = parts.router(routeList)
        let (registry, databases, renderer, staticFiles, setupLinks) = (
            parts.registry, parts.databases, parts.pages.renderer, parts.staticFiles, parts.setupLinks
        )
        let tenantCount = registry.current.tenants.count
        let limits = configuration.connections
        let certificate = try configuration.tls.map { files in try TLSCertificate(files: files) }
        let http: HTTPServerBuilder = .http1(configuration: .init(additionalChannelHandlers: [ConnectionTimeouts(limits: limits)]))
        let scheme = certificate == nil ? "http" : "https"
        let application = Application(
            router: router,
            server: try certificate.map { try .tls(http, tlsConfiguration: $0.serverConfiguration()) } ?? http,
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: "ClinicBox",
                availableConnectionsDelegate: ConnectionLimit(maximum: limits.maximumConnections, logger: logger)
            ),
            services: [
                TenantReloadService(
                    reloader: parts.reloader,
                    folders: [configuration.tenantsFolder, TenantFiles.assets(in: configuration.tenantsFolder)],
                    watch: configuration.watchTenantFiles,
                    interval: configuration.reloadInterval ?? (configuration.watchTenantFiles ? .seconds(10) : .seconds(1)),
                    onTick: { databases.closeIdle() },
                    onHangUp: {
                        if let certificate { TLSReload.reload(certificate, logger: logger) }
                        staticFiles.reload()
                        do { try renderer.reload() } catch { logger.error("page templates not reloaded; the previous ones stay in use: \(error)") }
                    }
                ),
                StorageMaintenanceService(databases: databases, scheduler: parts.backups, backupCheckInterval: configuration.backupCheckInterval),
            ],
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                logger.info("ClinicBox is serving \(tenantCount) tenants at \(scheme)://\(configuration.host):\(port)/")
                // Now the links can say where to go; made beside serving, so thousands of them never hold up a request.
                Task { setupLinks.serving(port: port) }
            },
            logger: logger
        )
        let metricsApplication = configuration.metricsListener.map { address in
            let router = Router(context: BasicRequestContext.self)
            parts.metricsAPI.registerOpen(on: router)  // GET /metrics, no token: only reachable where it listens
            return Application(
                router: router,
                configuration: .init(address: .hostname(address.host, port: address.port), serverName: "ClinicBox"),
                onServerRunning: { channel in
                    let port = channel.localAddress?.port ?? address.port
                    logger.info("metrics at http://\(ListenAddress(host: address.host, port: port))/metrics")
                },
                logger: logger
            )
        }
        let redirectApplication = configuration.httpRedirectPort.map { port in
            HTTPSRedirect.application(host: configuration.host, port: port, httpsPort: configuration.port, logger: logger)
        }
        return ClinicBoxServer(
            application: application,
            registry: registry,
            reloader: parts.reloader,
            databases: databases,
            backups: parts.backups,
            setupLinks: setupLinks,
            metricsApplication: metricsApplication,
            redirectApplication: redirectApplication,
            routes: router.routes.map { "\($0.method) \($0.path)" },
            routeTable: routeList.table
        )
    }

    /// What `clinicbox routes` prints for `catalog`, made from the declarations alone: no folder is read or written.
    public static func routeTable(catalog: FeatureCatalog) throws -> RouteTable {
        var configuration = AppConfiguration(catalog: catalog)
        configuration.tenantsFolder = "/nonexistent/tenants.d"
        configuration.dataFolder = "/nonexistent/data"
        let routeList = try ServerParts(configuration).routeList
        return routeList.table
    }
}

/// The long-lived parts every request may reach, and the route list that wires them to URLs. Making them reads
/// and writes nothing; the server loads the tenants after.
package struct ServerParts {
    package let configuration: AppConfiguration
    package let registry: LiveTenantRegistry
    package let reloader: TenantReloader
    package let databases: TenantDatabases
    package let backups: BackupScheduler
    package let metrics: ServerMetrics
    package let rateLimiter: TenantRateLimiter
    package let throttle: LoginThrottle
    package let systemAdmins: SystemAdminsStore
    package let pages: Pages
    package let staticFiles: StaticFiles
    package let setupLinks: SetupLinks
    package let crossTenantWatch: CrossTenantWatch
    /// Kept here, not in `loginPages` (made anew for each route list): the password step and the code step must
    /// find the same waiting sign-ins.
    package let pendingSignIns = PendingSignIns()

    package init(_ configuration: AppConfiguration) throws {
        let logger = configuration.logger
        let (metrics, rateLimiter, registry) = (ServerMetrics(), TenantRateLimiter(), LiveTenantRegistry())
        let databases = TenantDatabases(folder: configuration.dataFolder, options: configuration.databases, logger: logger) { id in
            registry.current.tenant(id)?.schema ?? .forTenant(features: [], catalog: configuration.catalog)
        }
        let setupLinks = SetupLinks(databases: databases, baseDomain: configuration.baseDomain, logger: logger)
        let reader = TenantFolderReader(
            folder: configuration.tenantsFolder,
            assets: configuration.assets,
            catalog: configuration.catalog,
            followSymlinks: configuration.tenantsFollowSymlinks
        )
        reloader = TenantReloader(reader: reader, registry: registry, logger: logger) { old, new, changes in
            await databases.recordConfigurationChanges(changes)
            let removed = old.tenants.keys.filter { new.tenants[$0] == nil }
            for id in removed { databases.close(id) }
            setupLinks.tenantsRemoved(removed)
            let added = new.tenants.keys.filter { old.tenants[$0] == nil }
            databases.reportMissingFiles(added)
            setupLinks.tenantsAppeared(added)
            rateLimiter.keepOnly(new.tenants.keys)
            metrics.reloaded(newProblems: new.problems.filter { !old.problems.contains($0) }.count)
        }
        backups = BackupScheduler(
            backups: configuration.backups,
            schedule: configuration.backupSchedule,
            registry: registry,
            databases: databases,
            logger: logger
        )
        (self.configuration, self.registry, self.databases, self.setupLinks) = (configuration, registry, databases, setupLinks)
        (self.metrics, self.rateLimiter) = (metrics, rateLimiter)
        throttle = LoginThrottle(onFailure: { metrics.failedLogin(tenant: $0) })
        let systemAdmins = SystemAdminsStore(dataFolder: configuration.dataFolder)
        let watch = CrossTenantWatch(
            dataFolder: configuration.dataFolder,
            registry: registry,
            metrics: metrics,
            systemAdmins: systemAdmins,
            setupLinks: setupLinks,
            logger: logger
        )
        databases.whenOpened { [weak watch] in watch?.watchEmails(of: $0) }  // the watch reaches the databases: no cycle
        (self.systemAdmins, crossTenantWatch) = (systemAdmins, watch)
        pages = Pages(renderer: try PageRenderer(assets: configuration.assets), catalog: configuration.catalog)
        staticFiles = StaticFiles(assets: configuration.assets)
    }

    package var metricsAPI: MetricsAPI {
        MetricsAPI(metrics: metrics, registry: registry, databases: databases, backups: backups, token: configuration.metricsToken)
    }

    package var loginPages: LoginPages {
        LoginPages(
            throttle: throttle,
            setupLinks: setupLinks,
            secureCookies: configuration.secureCookies,
            pages: pages,
            pendingSignIns: pendingSignIns
        )
    }

    /// Every URL ClinicBox serves, in one list.
    package var routeList: RouteList {
        var list = RouteList()
        // Not tenant-scoped: /healthz, /readyz, /metrics (with the metrics token only), /api/system/…,
        // /api/tenants[/{id}/config|health|branding|logo], the shared stylesheet and icon, and the OpenAPI document.
        let server =
            HealthAPI(registry: registry, databases: databases).endpoints
            + ReadinessAPI(registry: registry, dataFolder: databases.folder, minimumFreeBytes: configuration.minimumFreeDiskBytes).endpoints
            + metricsAPI.endpoints + SystemAPI(systemAdmins: systemAdmins, registry: registry, databases: databases).endpoints
            + staticFiles.endpoints
        list.add(server, at: "", tenantScoped: false) { $0.root }
        let directory = TenantDirectoryAPI(registry: registry, databases: databases, systemAdmins: systemAdmins, backups: backups)
        list.add(directory.endpoints, at: "api/tenants", tenantScoped: false) { $0.root }

        // Tenant-scoped, each at the root (tenant from header, query or host) and under /t/{tenantID}/.
        let auth = AuthAPI(throttle: throttle)
        list.add(BrandStylesheet().endpoints + PageSizeStylesheet().endpoints + TenantProfileAPI().endpoints + auth.publicEndpoints, at: "") {
            $0.tenant
        }
        list.add(auth.endpoints + AuditAPI().endpoints, at: "") { $0.signedInAPI }
        let setupPages = SetupPages(links: setupLinks, login: loginPages, pages: pages)
        list.add(loginPages.endpoints + setupPages.endpoints, at: "") { $0.publicPages }
        list.add(DashboardPage(pages: pages).endpoints + TwoFactorPages(pages: pages).endpoints + SessionPages(pages: pages).endpoints, at: "") {
            $0.signedInPages
        }
        let admin = AdminPages(pages: pages, registry: registry, tenantsFolder: configuration.tenantsFolder)
        list.add(admin.endpoints, at: "admin", module: "admin") { $0.signedInPages }
        // Each feature module: its API at /api/v1/<module> (and its resources), its pages at /<module> (a part's at its
        // whole's), behind its own gate.
        for module in pages.catalog.modules {
            for mount in module.apiMounts {
                list.add(mount.endpoints, at: "api/v1/\(mount.path)", module: module.id) { $0.moduleAPI(module.id) }
            }
            let modulePages = module.pageEndpoints(ModulePages(pages, for: module))
            list.add(modulePages, at: module.pagePath, module: module.id, templateFolder: module.templateFolder) { $0.modulePages(module.id) }
        }

        let openAPI = APIOperation.get("api/v1/openapi.json", "This document", response: .json(.freeForm)).open
        let document = ByteBuffer(bytes: OpenAPIDocument.encode(list.documented + [RouteList.mounted(openAPI, at: "")], catalog: pages.catalog))
        list.add([Endpoint(openAPI) { _, _ in Response.json(bytes: document) }], at: "", tenantScoped: false) { $0.root }
        return list
    }

    /// The router for `routes`, behind the middleware every request passes.
    package func router(_ routes: RouteList) -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        let allowedMethods = AllowedMethods()
        router.add(middleware: RequestRecorder(metrics: metrics))
        router.add(middleware: FormQueryDecoding())
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: ClientConnectionMiddleware(trustProxy: configuration.trustProxy, overTLS: configuration.tls != nil))
        router.add(middleware: SecurityHeaders())
        router.add(middleware: MethodNotAllowed(allowedMethods: allowedMethods))
        let resolver = TenantResolver(registry: registry, baseDomain: configuration.baseDomain, defaultTenant: configuration.defaultTenant)
        routes.register(
            on: router,
            tenantMiddleware: TenantMiddleware(
                resolver: resolver,
                databases: databases,
                rateLimiter: rateLimiter,
                crossTenantWatch: crossTenantWatch
            ),
            pageErrors: PageErrors(pages: pages)
        )
        allowedMethods.load(router.routes.map { (path: $0.path.description, method: $0.method) })
        return router
    }
}

/// The data folder: created if missing, and it must be writable.
package enum DataFolder {
    package struct NotWritable: Error, CustomStringConvertible {
        package var path: String
        package var description: String { "the data folder \(path) is not writable; fix its permissions or choose another with --data" }
    }

    package static func prepare(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard FileManager.default.isWritableFile(atPath: path) else { throw NotWritable(path: path) }
    }
}
