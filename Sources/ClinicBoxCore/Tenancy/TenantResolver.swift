import Hummingbird

/// Resolves a request to exactly one tenant, from (in this order) the `/t/{id}/` path prefix, the
/// `X-Tenant-ID` header, the `?tenant=` query and the host name. Signals that disagree are an error,
/// and there is no fallback tenant unless one was configured.
public struct TenantResolver: Sendable {
    package let registry: LiveTenantRegistry
    /// `{id}.<baseDomain>` selects tenant `id`; lower-cased, no trailing dot.
    package let baseDomain: String
    package let defaultTenant: TenantID?
    private let baseSuffix: String

    public init(registry: LiveTenantRegistry, baseDomain: String, defaultTenant: TenantID?) {
        self.registry = registry
        self.baseDomain = HostName.normalized(baseDomain) ?? baseDomain.lowercased()
        self.defaultTenant = defaultTenant
        self.baseSuffix = "." + self.baseDomain
    }

    private struct Signal {
        package var source: String
        package var id: TenantID
    }

    /// The tenant for `request`; `pathID` is the `{id}` of a `/t/{id}/` route, if the request used one.
    public func resolve(_ request: Request, pathID: String?) throws(Problem) -> Tenant {
        let registry = registry.current  // one snapshot for the whole request
        var signals: [Signal] = []
        if let pathID { signals.append(Signal(source: "the /t/ path", id: try validID(pathID, source: "the /t/ path"))) }
        if let header = try single(request.headers[values: .xTenantID], source: "the X-Tenant-ID header") {
            signals.append(Signal(source: "the X-Tenant-ID header", id: try validID(header, source: "the X-Tenant-ID header")))
        }
        // Parsing the query costs an allocation; most requests have none that could name a tenant.
        if request.uri.query?.contains("tenant") == true,
            let query = try single(request.uri.queryParameters.getAll("tenant"), source: "the ?tenant= query")
        {
            signals.append(Signal(source: "the ?tenant= query", id: try validID(query, source: "the ?tenant= query")))
        }
        var hostTenant: Tenant?
        if let host = hostName(request) {
            if let tenant = registry.tenant(host: host) {
                hostTenant = tenant
                signals.append(Signal(source: "the host name", id: tenant.id))
            } else if host.hasSuffix(baseSuffix), let id = TenantID(host.dropLast(baseSuffix.count)) {
                signals.append(Signal(source: "the host name", id: id))
            }
        }
        guard let first = signals.first else {
            if let defaultTenant {
                guard let tenant = registry.tenant(defaultTenant) else {
                    throw Problem(
                        .notFound,
                        title: "Unknown tenant",
                        detail: "The default tenant '\(defaultTenant)' (--default-tenant) is not defined."
                    )
                }
                return try active(tenant)
            }
            throw Problem(
                .notFound,
                title: "No tenant selected",
                detail: "Name a tenant with the /t/{id}/ path, the X-Tenant-ID header, ?tenant={id} or a host name such as {id}.\(baseDomain)."
            )
        }
        if let other = signals.first(where: { $0.id != first.id }) {
            throw Problem(
                .badRequest,
                title: "Conflicting tenants",
                detail: "\(first.source) names tenant '\(first.id)' but \(other.source) names '\(other.id)'; send one tenant per request."
            )
        }
        guard let tenant = hostTenant ?? registry.tenant(first.id) else {
            throw Problem(.notFound, title: "Unknown tenant", detail: "There is no tenant '\(first.id)'.")
        }
        return try active(tenant)
    }

    private func active(_ tenant: Tenant) throws(Problem) -> Tenant {
        guard tenant.isActive else {
            throw Problem(.forbidden, title: "Tenant suspended", detail: "Tenant '\(tenant.id)' is suspended; contact its administrator.")
        }
        return tenant
    }

    /// The normalised host, unless it is missing, an IP address, junk, or sent twice.
    private func hostName(_ request: Request) -> String? {
        guard let authority = request.head.authority, request.headers[.host] == nil else { return nil }
        return HostName.fromHeader(authority)
    }

    private func single(_ values: [String], source: String) throws(Problem) -> String? {
        guard values.count <= 1 else {
            throw Problem(.badRequest, title: "Conflicting tenants", detail: "\(source) is given \(values.count) times; give it once.")
        }
        return values.first
    }

    private func validID(_ text: String, source: String) throws(Problem) -> TenantID {
        guard let id = TenantID(text) else {
            throw Problem(
                .badRequest,
                title: "Invalid tenant id",
                detail: "\(source) holds '\(Self.printable(text))', which is not a tenant id; ids are \(TenantID.rule)."
            )
        }
        return id
    }

    /// Request text made safe to echo: at most 64 characters, control characters shown as `?`.
    package static func printable(_ text: String) -> String {
        let cleaned = String(text.unicodeScalars.prefix(64).map { $0.properties.generalCategory == .control ? "?" : Character($0) })
        return text.unicodeScalars.count > 64 ? cleaned + "…" : cleaned
    }
}
