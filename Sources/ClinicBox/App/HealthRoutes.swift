import Hummingbird

/// `GET /healthz`: is the server alive, how many tenants it serves, and every tenant problem an admin must fix.
struct HealthRoutes {
    let registry: LiveTenantRegistry
    let databases: TenantDatabases

    struct Health: Encodable {
        struct ProblemEntry: Encodable {
            var file: String
            var line: Int?
            var column: Int?
            var tenant: String?
            var message: String
        }

        var status: String
        var tenants: Int
        var errors: [ProblemEntry]
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("healthz") { _, _ in health() }
    }

    func health() -> Response {
        let registry = registry.current
        var errors = registry.problems.map {
            Health.ProblemEntry(file: $0.file, line: $0.location?.line, column: $0.location?.column, message: $0.message)
        }
        for (tenant, message) in databases.problems.sorted(by: { $0.key < $1.key }) where registry.tenants[tenant] != nil {
            errors.append(.init(file: "\(databases.folder)/\(tenant).sqlite", tenant: tenant.rawValue, message: message))
        }
        let body = Health(status: errors.isEmpty ? "ok" : "degraded", tenants: registry.tenants.count, errors: errors)
        return Response.json(body)
    }
}

extension Response {
    /// A `200` (or `status`) answer with `body` encoded the way every API answer is.
    static func json(_ body: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        json(bytes: ByteBuffer(bytes: JSON.encode(body)), status: status)
    }

    static func json(bytes: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: bytes))
    }
}
