import Foundation
import Hummingbird

/// `/api/tenants/…`: the tenant directory. Branding and logos are public (a login page needs them);
/// the list is for system administrators, a tenant's full configuration for them and that tenant's admins.
package struct TenantDirectoryAPI {
    package let registry: LiveTenantRegistry
    package let databases: TenantDatabases
    package let systemAdmins: SystemAdminsStore
    package let backups: BackupScheduler

    /// Mounted at `/api/tenants`. Who may read what is decided per tenant in the handlers (system administrators
    /// or that tenant's admins), not by one permission.
    package var endpoints: [Endpoint<AppRequestContext>] {
        [
            Endpoint(
                .get("", "Every tenant and its reload status (system administrators)", response: .json(.freeForm)).allowing("system administrators"),
                use: listTenants
            ),
            Endpoint(
                .get("{id}/config", "A tenant's settings (system administrators, or that tenant's admins)", response: .json(.freeForm)).allowing(
                    "system administrators, the tenant's admins"
                ),
                use: config
            ),
            Endpoint(
                .get(
                    "{id}/health",
                    "A tenant's database (opens, quick_check, schema, size) and last good backup (system administrators, or that tenant's admins)",
                    response: .json(.freeForm)
                ).allowing("system administrators, the tenant's admins"),
                use: health
            ),
            Endpoint(.get("{id}/branding", "A tenant's public branding", response: .json(.freeForm)).open, use: branding),
            Endpoint(.get("{id}/logo", "A tenant's logo", response: .text("image/*")).open, use: logo),
        ]
    }

    package func branding(_: Request, _ context: AppRequestContext) async throws -> Response {
        Response.json(bytes: try activeTenant(context).brandingJSON)
    }

    package struct Summary: Encodable {
        package var id: String
        package var name: String
        package var domain: String
        package var active: Bool
        package var hosts: [String]
        package var features: [String]
        package var file: String
        /// `ok`, or `stale` when the file's newest version is invalid and the last good one is served.
        package var status: String
    }

    private func listTenants(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard try await isSystemAdmin(request) else { throw Self.adminsOnly }
        let registry = registry.current
        let tenants = registry.tenants.values.sorted { $0.id < $1.id }.map { summary($0, registry) }
        return .json(tenants)
    }

    private func config(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let registry = registry.current
        let tenant = try lookUp(context, registry)
        if try await !isSystemAdmin(request) { try await requireAdmin(of: tenant, request) }
        return .json(TenantConfig(tenant, registry: registry))
    }

    /// For system admins (and the tenant's admins while its database opens: their accounts live in it).
    private func health(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let tenant = try lookUp(context, registry.current)
        if try await !isSystemAdmin(request) {
            do { try await requireAdmin(of: tenant, request) } catch let problem as Problem { throw problem } catch { throw Self.adminsOnly }
        }
        return .json(await TenantHealth.check(tenant, databases: databases, backups: backups))
    }

    private func logo(_: Request, _ context: AppRequestContext) throws -> Response {
        let tenant = try activeTenant(context)
        guard let logo = tenant.logo else {
            throw Problem(.notFound, title: "No logo", detail: "Tenant '\(tenant.id)' has no logo.")
        }
        return Response(
            status: .ok,
            headers: [.contentType: logo.contentType, .cacheControl: "public, max-age=300"],
            body: .init(byteBuffer: logo.bytes)
        )
    }

    private func summary(_ tenant: Tenant, _ registry: TenantRegistry) -> Summary {
        let definition = tenant.definition
        return Summary(
            id: definition.id.rawValue,
            name: definition.name,
            domain: definition.domain.rawValue,
            active: definition.active,
            hosts: definition.hosts,
            features: definition.features,
            file: tenant.file,
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
            throw Problem(
                .badRequest,
                title: "Invalid tenant id",
                detail: "'\(TenantResolver.printable(text))' is not a tenant id; ids are \(TenantID.rule)."
            )
        }
        guard let tenant = registry.tenant(id) else {
            throw Problem(.notFound, title: "Unknown tenant", detail: "There is no tenant '\(id)'.")
        }
        return tenant
    }

    private static let adminsOnly = Problem(
        .unauthorized,
        title: "Administrators only",
        detail:
            "Send the Authorization: Bearer token of a system administrator (POST /api/system/token) or, for one tenant's configuration, of that tenant's admin.",
        headers: [.wwwAuthenticate: "Bearer"]
    )

    private func isSystemAdmin(_ request: Request) async throws -> Bool {
        try await systemAdmins.holder(of: request) != nil
    }

    /// Passes a bearer token of `tenant`'s own users whose role may read its configuration; a valid token of
    /// another role is `403` (it is known, just not allowed), anything else `401`.
    private func requireAdmin(of tenant: Tenant, _ request: Request) async throws {
        // A tenant without a database has no users yet; do not create one for a stranger's token.
        guard let token = request.bearerToken, token.hasPrefix("cbx_"), databases.hasDatabase(tenant.id),
            let user = try await AccessTokens(database: databases.database(for: tenant.id)).authenticate(token)
        else { throw Self.adminsOnly }
        guard tenant.permissions.allows(user, Permissions.readTenantConfig) else {
            throw Problem(
                .forbidden,
                title: "Administrators only",
                detail:
                    "Your role (\(user.role.rawValue)) may not read tenant '\(tenant.id)''s configuration; its admins and system administrators may."
            )
        }
    }
}
