import HTTPTypes
import Hummingbird

/// Every endpoint ClinicBox mounts, listed once as data: method, full path, who may call it, the module that owns
/// it, its template and the file that declares it, with how to register it. The router registers exactly these,
/// the OpenAPI document describes the API ones and `clinicbox routes` prints them all, so no route is written,
/// converted or guessed twice.
package struct RouteList {
    package struct Route {
        /// The endpoint at its full path (`/api/v1/patients/{id}`), its template in full (`patients/list`).
        package let operation: APIOperation
        package let isDocumented: Bool
        package let template: String?
        package let file: String
        /// A feature module's id, `admin`, or `core`.
        package let module: String
        /// Served at the root and under `/t/{tenant}/`, after the tenant is resolved; else once, for everyone.
        package let isTenantScoped: Bool
        fileprivate let register: (RouterGroups) -> Void

        package var method: String { operation.method.uppercased() }
    }

    package private(set) var routes: [Route] = []

    /// Adds `endpoints` under `prefix` (`api/v1/patients`; empty for the root), registered on the group `mount`
    /// picks; a module page's own template (`list`, not `admin/confirm`) is looked up in `templateFolder`.
    package mutating func add<Context>(
        _ endpoints: [Endpoint<Context>],
        at prefix: String,
        module: String = "core",
        templateFolder: String? = nil,
        tenantScoped: Bool = true,
        on mount: @escaping (RouterGroups) -> RouterGroup<Context>
    ) {
        for declared in endpoints {
            var endpoint = declared
            endpoint.operation = Self.mounted(declared.operation, at: prefix)
            // In a module, `list` is its own template and `admin/confirm` a shared one, named in full.
            if let folder = templateFolder, let template = endpoint.template, !template.contains("/") { endpoint.template = folder + "/" + template }
            routes.append(
                Route(
                    operation: endpoint.operation,
                    isDocumented: endpoint.isDocumented,
                    template: endpoint.template,
                    file: endpoint.file,
                    module: module,
                    isTenantScoped: tenantScoped,
                    register: { endpoint.register(on: mount($0)) }
                )
            )
        }
    }

    /// `operation` at its full path: `api/v1/patients` + `{id}` is `/api/v1/patients/{id}`.
    package static func mounted(_ operation: APIOperation, at prefix: String) -> APIOperation {
        var operation = operation
        operation.path = "/" + [prefix, operation.path].filter { !$0.isEmpty }.joined(separator: "/")
        return operation
    }

    /// The operations the OpenAPI document describes.
    package var documented: [APIOperation] { routes.filter(\.isDocumented).map(\.operation) }

    /// The routes at their places on `router`: the ones for everyone once, the tenant-scoped ones at the root and
    /// under `/t/{tenantID}/`, each behind the middleware its group adds.
    package func register(on router: Router<AppRequestContext>, tenantMiddleware: TenantMiddleware, pageErrors: PageErrors) {
        for prefix in ["", "t/{tenantID}"] {
            let groups = RouterGroups(root: router.group(), prefix: prefix, tenantMiddleware: tenantMiddleware, pageErrors: pageErrors)
            for route in routes where route.isTenantScoped || prefix.isEmpty { route.register(groups) }
        }
    }

    /// Start-up refuses to serve pages whose template does not exist.
    package func checkTemplates(_ renderer: PageRenderer) throws {
        let missing = routes.filter { route in route.template.map { !renderer.has($0) } ?? false }
        guard missing.isEmpty else {
            throw MissingTemplates(routes: missing.map { "\($0.method) \($0.operation.path) (\($0.file)) renders \($0.template ?? "")" })
        }
    }

    package struct MissingTemplates: Error, CustomStringConvertible {
        package var routes: [String]
        package var description: String { "page templates missing from the assets: " + routes.joined(separator: "; ") }
    }

    package var table: RouteTable {
        RouteTable(
            routes.map { route in
                RouteTable.Listing(
                    row: .init(
                        method: route.method,
                        path: route.operation.path,
                        action: route.operation.access,
                        module: route.module,
                        kind: route.isDocumented ? "api" : "page"
                    ),
                    file: route.file
                )
            }
        )
    }
}

/// The router's groups at one place tenant routes are served (the root, or `/t/{tenantID}`), each behind its
/// middleware: resolved tenant, page session, signed-in page, bearer token, and a module's feature gate.
package struct RouterGroups {
    package let root: RouterGroup<AppRequestContext>
    package let tenant: RouterGroup<TenantRequestContext>
    package let publicPages: RouterGroup<TenantRequestContext>
    package let signedInPages: RouterGroup<PageRequestContext>
    /// Routes that need a signed-in user get an `AuthenticatedContext`, which cannot exist without one.
    package let signedInAPI: RouterGroup<AuthenticatedContext>

    package init(root: RouterGroup<AppRequestContext>, prefix: String, tenantMiddleware: TenantMiddleware, pageErrors: PageErrors) {
        self.root = root
        tenant = root.group(RouterPath(prefix)).add(middleware: tenantMiddleware).group(context: TenantRequestContext.self)
        publicPages = tenant.group().add(middleware: pageErrors).add(middleware: SessionAuthentication())
        signedInPages = publicPages.group().add(middleware: RequireSignIn()).group(context: PageRequestContext.self)
        signedInAPI = tenant.group().add(middleware: BearerAuthentication()).group(context: AuthenticatedContext.self)
    }

    /// A module's API: signed in first, so a stranger hears 401, never which modules a tenant has; then its gate.
    package func moduleAPI(_ feature: String) -> RouterGroup<AuthenticatedContext> {
        tenant.group().add(middleware: BearerAuthentication()).group(context: AuthenticatedContext.self).add(
            middleware: FeatureGate(feature: feature)
        )
    }

    /// A module's pages: a signed-in session (or the sign-in page), then its gate.
    package func modulePages(_ feature: String) -> RouterGroup<PageRequestContext> {
        publicPages.group().add(middleware: RequireSignIn()).add(middleware: FeatureGate(feature: feature)).group(context: PageRequestContext.self)
    }
}
