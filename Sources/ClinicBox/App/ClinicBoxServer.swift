import Foundation
import Hummingbird
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
    /// Serves until SIGTERM or SIGINT, then stops taking connections and lets requests in flight finish for at most
    /// `shutdownGrace`; after that they are cancelled, so a stuck client cannot hold a restart up for ever.
    public func run(shutdownGrace: Duration) async throws {
        var configuration = ServiceGroupConfiguration(
            services: [application] + (metricsApplication.map { [$0] } ?? []),
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
        let metrics = ServerMetrics()
        let rateLimiter = TenantRateLimiter()
        let registry = LiveTenantRegistry()
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
        let reloader = TenantReloader(reader: reader, registry: registry, logger: logger) { old, new, changes in
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
        await reloader.reload()
        let backups = BackupScheduler(
            backups: configuration.backups,
            schedule: configuration.backupSchedule,
            registry: registry,
            databases: databases,
            logger: logger
        )

        let renderer = try PageRenderer(assets: configuration.assets)
        let staticFiles = StaticFiles(assets: configuration.assets)
        let parts = ServerParts(
            configuration: configuration,
            registry: registry,
            databases: databases,
            backups: backups,
            metrics: metrics,
            rateLimiter: rateLimiter,
            throttle: LoginThrottle(onFailure: { metrics.failedLogin(tenant: $0) }),
            systemAdmins: SystemAdminsStore(dataFolder: configuration.dataFolder),
            pages: Pages(renderer: renderer, catalog: configuration.catalog),
            staticFiles: staticFiles,
            setupLinks: setupLinks
        )
        let router = parts.router()
        let routes = router.routes.map { "\($0.method) \($0.path)" }
        let routeTable = parts.routeTable(router)
        let tenantCount = registry.current.tenants.count
        let limits = configuration.connections
        let application = Application(
            router: router,
            server: .http1(configuration: .init(additionalChannelHandlers: [ConnectionTimeouts(limits: limits)])),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: "ClinicBox",
                availableConnectionsDelegate: ConnectionLimit(maximum: limits.maximumConnections, logger: logger)
            ),
            services: [
                TenantReloadService(
                    reloader: reloader,
                    folders: [configuration.tenantsFolder, TenantFiles.assets(in: configuration.tenantsFolder)],
                    watch: configuration.watchTenantFiles,
                    interval: configuration.reloadInterval ?? (configuration.watchTenantFiles ? .seconds(10) : .seconds(1)),
                    onTick: { databases.closeIdle() },
                    onHangUp: {
                        staticFiles.reload()
                        do { try renderer.reload() } catch { logger.error("page templates not reloaded; the previous ones stay in use: \(error)") }
                    }
                ),
                StorageMaintenanceService(databases: databases, scheduler: backups, backupCheckInterval: configuration.backupCheckInterval),
            ],
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                logger.info("ClinicBox is serving \(tenantCount) tenants at http://\(configuration.host):\(port)/")
                // Now the links can say where to go; made beside serving, so thousands of them never hold up a request.
                Task { setupLinks.serving(port: port) }
            },
            logger: logger
        )
        let metricsApplication = configuration.metricsListener.map { address in
            let router = Router(context: BasicRequestContext.self)
            parts.metricsRoutes.registerOpen(on: router)  // GET /metrics, no token: only reachable where it listens
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
        return ClinicBoxServer(
            application: application,
            registry: registry,
            reloader: reloader,
            databases: databases,
            backups: backups,
            setupLinks: setupLinks,
            metricsApplication: metricsApplication,
            routes: routes,
            routeTable: routeTable
        )
    }
}

/// The long-lived parts every request may reach, and the router that wires them to URLs.
struct ServerParts {
    let configuration: AppConfiguration
    let registry: LiveTenantRegistry
    let databases: TenantDatabases
    let backups: BackupScheduler
    let metrics: ServerMetrics
    let rateLimiter: TenantRateLimiter
    let throttle: LoginThrottle
    let systemAdmins: SystemAdminsStore
    let pages: Pages
    let staticFiles: StaticFiles
    let setupLinks: SetupLinks

    var metricsRoutes: MetricsRoutes {
        MetricsRoutes(metrics: metrics, registry: registry, databases: databases, backups: backups, token: configuration.metricsToken)
    }

    /// The core's endpoint declarations, by where they are mounted, and every documented operation.
    struct CoreEndpoints {
        var server: [Endpoint<AppRequestContext>]
        /// Mounted at `/api/tenants`.
        var directory: [Endpoint<AppRequestContext>]
        var tenant: [Endpoint<TenantRequestContext>]
        var signedIn: [Endpoint<AuthenticatedContext>]
        /// The core's and every module's operations, at their full paths.
        var operations: [APIOperation]
    }

    var loginPages: LoginPages { LoginPages(throttle: throttle, setupLinks: setupLinks, secureCookies: configuration.secureCookies, pages: pages) }
    var setupPages: SetupPages { SetupPages(links: setupLinks, login: loginPages, pages: pages) }
    var adminPages: AdminPages { AdminPages(pages: pages, registry: registry, tenantsFolder: configuration.tenantsFolder) }

    static let openAPIOperation = APIOperation.get("/api/v1/openapi.json", "This document", response: .json(.freeForm)).open

    var endpoints: CoreEndpoints {
        let server =
            HealthRoutes(registry: registry, databases: databases).endpoints
            + ReadinessRoutes(registry: registry, dataFolder: databases.folder, minimumFreeBytes: configuration.minimumFreeDiskBytes).endpoints
            + metricsRoutes.endpoints + SystemRoutes(systemAdmins: systemAdmins, registry: registry, databases: databases).endpoints
        let directory = TenantDirectoryRoutes(registry: registry, databases: databases, systemAdmins: systemAdmins, backups: backups).endpoints
        let tenant = TenantAPIRoutes().endpoints + AuthRoutes(throttle: throttle).publicEndpoints
        let signedIn = AuthRoutes(throttle: throttle).endpoints + AuditRoutes().endpoints
        let operations =
            server.compactMap { $0.documented(under: "") } + directory.compactMap { $0.documented(under: "/api/tenants") }
            + tenant.compactMap { $0.documented(under: "") } + signedIn.compactMap { $0.documented(under: "") }
            + pages.catalog.modules.flatMap(\.apiMounts).flatMap { mount in
                mount.endpoints.compactMap { $0.documented(under: "/api/v1/\(mount.path)") }
            }
        return CoreEndpoints(server: server, directory: directory, tenant: tenant, signedIn: signedIn, operations: operations)
    }

    /// The router's routes, each with the action its declaration checks.
    func routeTable(_ router: Router<AppRequestContext>) -> RouteTable {
        let operations = endpoints.operations + [Self.openAPIOperation]
        var access: [String: String] = [:]
        for operation in operations { access["\(operation.method.uppercased()) \(operation.path)"] = operation.access }
        for endpoint in adminPages.endpoints {
            access["\(endpoint.method) \(Endpoint<PageRequestContext>.join("/admin", endpoint.operation.path))"] = endpoint.operation.access
        }
        for module in pages.catalog.modules {
            for endpoint in module.pageEndpoints(ModulePages(pages, for: module)) {
                access["\(endpoint.method) \(Endpoint<PageRequestContext>.join("/\(module.id)", endpoint.operation.path))"] =
                    endpoint.operation.access
            }
        }
        let corePages =
            staticFiles.endpoints.map(\.operation) + BrandStylesheet().endpoints.map(\.operation) + loginPages.endpoints.map(\.operation)
            + setupPages.endpoints.map(\.operation) + DashboardPage(pages: pages).endpoints.map(\.operation)
        for page in corePages { access["\(page.method.uppercased()) /\(page.path)"] = page.access }
        return RouteTable(
            routes: router.routes.map { ($0.method.rawValue, $0.path.description) },
            documented: Set(operations.map { "\($0.method.uppercased()) \($0.path)" }),
            access: access,
            modules: pages.catalog.ids
        )
    }

    /// Every URL ClinicBox serves, in one place.
    func router() -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        let allowedMethods = AllowedMethods()
        router.add(middleware: RequestRecorder(metrics: metrics))
        router.add(middleware: FormQueryDecoding())
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: ClientConnectionMiddleware(trustProxy: configuration.trustProxy))
        router.add(middleware: SecurityHeaders())
        router.add(middleware: MethodNotAllowed(allowedMethods: allowedMethods))

        // Not tenant-scoped: /healthz, /readyz, /metrics (with the metrics token only), /api/v1/openapi.json,
        // /api/system/…, /api/tenants[/{id}/config|health|branding|logo], and the shared stylesheet and icon.
        let endpoints = self.endpoints
        let openAPI = ByteBuffer(bytes: OpenAPIDocument.encode(endpoints.operations + [Self.openAPIOperation], catalog: pages.catalog))
        let root = router.group()
        for endpoint in endpoints.server + [Endpoint(Self.openAPIOperation) { _, _ in Response.json(bytes: openAPI) }] { endpoint.register(on: root) }
        for endpoint in endpoints.directory { endpoint.register(on: router.group("api/tenants")) }
        for endpoint in staticFiles.endpoints { endpoint.register(on: root) }

        let resolver = TenantResolver(registry: registry, baseDomain: configuration.baseDomain, defaultTenant: configuration.defaultTenant)
        // Tenant-scoped: each route is mounted twice, at the root (tenant from header, query or host) and under /t/{id}/.
        for prefix: RouterPath in ["", "t/:tenantID"] {
            let tenantRoutes = router.group(prefix)
                .add(middleware: TenantMiddleware(resolver: resolver, databases: databases, rateLimiter: rateLimiter))
                .group(context: TenantRequestContext.self)
            let publicPages = tenantRoutes.group().add(middleware: PageErrors(pages: pages)).add(middleware: SessionAuthentication())
            let signedInPages = publicPages.group().add(middleware: RequireSignIn()).group(context: PageRequestContext.self)
            // Routes that need a signed-in user get an AuthenticatedContext, which cannot exist without one.
            let signedIn = tenantRoutes.group().add(middleware: BearerAuthentication()).group(context: AuthenticatedContext.self)
            for endpoint in BrandStylesheet().endpoints { endpoint.register(on: tenantRoutes) }  // GET /brand.css
            // GET/POST /login · POST /logout
            for endpoint in loginPages.endpoints + setupPages.endpoints { endpoint.register(on: publicPages) }  // and GET/POST /setup
            for endpoint in DashboardPage(pages: pages).endpoints { endpoint.register(on: signedInPages) }  // GET /
            // /admin, /admin/users…, /admin/api-keys…, /admin/audit, /admin/settings
            for endpoint in adminPages.endpoints { endpoint.register(on: signedInPages.group("admin")) }
            // GET /api/v1/tenant, POST /api/v1/auth/token; the signed-in user's tokens and API keys, the audit trail.
            for endpoint in endpoints.tenant { endpoint.register(on: tenantRoutes) }
            for endpoint in endpoints.signedIn { endpoint.register(on: signedIn) }
            // Each feature module at /api/v1/<module>, answering 403 to signed-in users of tenants that do not have it.
            for module in pages.catalog.modules {
                // Signed in first: a stranger hears 401 (or the sign-in page), never which modules a tenant has.
                for mount in module.apiMounts {
                    let api = tenantRoutes.group(RouterPath("api/v1/\(mount.path)")).add(middleware: BearerAuthentication())
                        .group(context: AuthenticatedContext.self).add(middleware: FeatureGate(feature: module.id))
                    for endpoint in mount.endpoints { endpoint.register(on: api) }  // checked and documented from one declaration
                }
                // Its pages at /<module>, with the same gate.
                let modulePages = publicPages.group(RouterPath(module.id)).add(middleware: RequireSignIn()).add(
                    middleware: FeatureGate(feature: module.id)
                )
                .group(context: PageRequestContext.self)
                for endpoint in module.pageEndpoints(ModulePages(pages, for: module)) { endpoint.register(on: modulePages) }
            }
        }
        allowedMethods.load(router.routes.map { (path: $0.path.description, method: $0.method) })
        return router
    }
}

/// The data folder: created if missing, and it must be writable.
enum DataFolder {
    struct NotWritable: Error, CustomStringConvertible {
        var path: String
        var description: String { "the data folder \(path) is not writable; fix its permissions or choose another with --data" }
    }

    static func prepare(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard FileManager.default.isWritableFile(atPath: path) else { throw NotWritable(path: path) }
    }
}
