import Hummingbird

/// `GET /healthz` (public): is the server alive, how many tenants it serves, and how many problems wait for an
/// admin. It never says what they are: a problem message repeats what a file holds, and a file can be anything,
/// a link to `/etc/passwd` included. The problems themselves are in `clinicbox check`, the log, and
/// `GET /api/system/problems` (system admins) or a tenant's `/api/tenants/{id}/config` (its admins).
struct HealthAPI {
    let registry: LiveTenantRegistry
    let databases: TenantDatabases

    struct Health: Encodable {
        var status: String
        var tenants: Int
        var problems: Int
    }

    var endpoints: [Endpoint<AppRequestContext>] {
        [
            Endpoint(
                .get(
                    "healthz",
                    "Health of the server: ok or degraded, the number of tenants served and of problems waiting (never what they are)",
                    response: .json(.freeForm)
                ).open
            ) { _, _ in health() }
        ]
    }

    /// Per request, so it only counts (the entries, with their escaping, are made for the admin endpoint), and
    /// from one registry snapshot.
    func health() -> Response {
        let registry = registry.current
        let count = ServerProblems.count(registry: registry, databases: databases)
        return Response.json(Health(status: count == 0 ? "ok" : "degraded", tenants: registry.tenants.count, problems: count))
    }
}

/// Every problem an admin must fix: tenant files that do not read, and databases that do not open.
struct ServerProblems: Encodable {
    struct Entry: Encodable {
        var file: String
        var line: Int?
        var column: Int?
        var tenant: String?
        var message: String
        /// The one-line form `clinicbox check` prints.
        var text: String
    }

    var status: String
    var tenants: Int
    var problems: [Entry]

    init(registry: TenantRegistry, databases: TenantDatabases) {
        problems = Self.list(registry: registry, databases: databases)
        status = problems.isEmpty ? "ok" : "degraded"
        tenants = registry.tenants.count
    }

    /// How many entries `list` would give.
    static func count(registry: TenantRegistry, databases: TenantDatabases) -> Int {
        registry.problems.count + databases.problems.keys.filter { registry.tenants[$0] != nil }.count
    }

    static func list(registry: TenantRegistry, databases: TenantDatabases) -> [Entry] {
        var entries = registry.problems.map { problem in
            Entry(
                file: problem.file.escapingControlCharacters,
                line: problem.location?.line,
                column: problem.location?.column,
                tenant: problem.tenantID?.rawValue,
                message: problem.message.escapingControlCharacters,
                text: problem.description
            )
        }
        for (tenant, message) in databases.problems.sorted(by: { $0.key < $1.key }) where registry.tenants[tenant] != nil {
            let (file, message) = ("\(databases.folder)/\(tenant).sqlite", message.escapingControlCharacters)  // quick_check answers span lines
            entries.append(.init(file: file, tenant: tenant.rawValue, message: message, text: "\(file): \(message)"))
        }
        return entries
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
