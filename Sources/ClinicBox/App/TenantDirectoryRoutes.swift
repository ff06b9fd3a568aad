import Hummingbird

/// `/api/tenants/…`: the tenant directory. Branding and logos are public (a login page needs them);
/// the list and full configuration are answered only on a direct loopback connection until accounts arrive.
struct TenantDirectoryRoutes {
    let registry: LiveTenantRegistry

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get { request, context in try listTenants(request, context) }
        group.get(":id/config") { request, context in try config(request, context) }
        group.get(":id/branding") { _, context in Response.json(bytes: try activeTenant(context).brandingJSON) }
        group.get(":id/logo") { _, context in try logo(context) }
    }

    struct Summary: Encodable {
        var id: String
        var name: String
        var domain: String
        var active: Bool
        var hosts: [String]
        var features: [String]
        var file: String
        /// `ok`, or `stale` when the file's newest version is invalid and the last good one is served.
        var status: String
    }

    private func listTenants(_ request: Request, _ context: AppRequestContext) throws -> Response {
        try requireLoopback(request, context)
        let registry = registry.current
        let tenants = registry.tenants.values.sorted { $0.id < $1.id }.map { summary($0, registry) }
        return .json(tenants)
    }

    private func config(_ request: Request, _ context: AppRequestContext) throws -> Response {
        try requireLoopback(request, context)
        let registry = registry.current
        let tenant = try lookUp(context, registry)
        return .json(TenantConfig(tenant, registry: registry))
    }

    private func logo(_ context: AppRequestContext) throws -> Response {
        let tenant = try activeTenant(context)
        guard let logo = tenant.logo else {
            throw Problem(.notFound, title: "No logo", detail: "Tenant '\(tenant.id)' has no logo.")
        }
        return Response(
            status: .ok, headers: [.contentType: logo.contentType, .cacheControl: "public, max-age=300"], body: .init(byteBuffer: logo.bytes)
        )
    }

    private func summary(_ tenant: Tenant, _ registry: TenantRegistry) -> Summary {
        let definition = tenant.definition
        return Summary(
            id: definition.id.rawValue, name: definition.name, domain: definition.domain.rawValue, active: definition.active,
            hosts: definition.hosts, features: definition.features, file: tenant.file,
            status: registry.staleTenants.contains(tenant.id) ? "stale" : "ok"
        )
    }

    private func activeTenant(_ context: AppRequestContext) throws -> Tenant {
        let tenant = try lookUp(context, registry.current)
        guard tenant.isActive else {
            throw Problem(.forbidden, title: "Tenant suspended", detail: "Tenant '\(tenant.id)' is suspended; contact its administrator.")
        }
        return tenant
    }

    private func lookUp(_ context: AppRequestContext, _ registry: TenantRegistry) throws -> Tenant {
        let text = try context.parameters.require("id")
        guard let id = TenantID(text) else {
            throw Problem(.badRequest, title: "Invalid tenant id", detail: "'\(TenantResolver.printable(text))' is not a tenant id; ids are \(TenantID.rule).")
        }
        guard let tenant = registry.tenant(id) else {
            throw Problem(.notFound, title: "Unknown tenant", detail: "There is no tenant '\(id)'.")
        }
        return tenant
    }

    private func requireLoopback(_ request: Request, _ context: AppRequestContext) throws {
        guard context.isDirectLoopback(request) else {
            throw Problem(.forbidden, title: "Loopback only", detail: "The tenant directory is answered only on the server itself (a direct connection to 127.0.0.1 or ::1).")
        }
    }
}
