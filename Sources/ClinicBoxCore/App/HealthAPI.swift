import Hummingbird

/// `GET /healthz` (public): is the server alive, how many tenants it serves, and how many problems wait for an
/// admin. It never says what they are: a problem message repeats what a file holds, and a file can be anything,
/// a link to `/etc/passwd` included. The problems themselves are in `clinicbox check`, the log, and
/// `GET /api/system/problems` (system admins) or a tenant's `/api/tenants/{id}/config` (its admins).
package struct HealthAPI {
    package let registry: LiveTenantRegistry
    package let databases: TenantDatabases

    package struct Health: Encodable {
        package var status: String
        package var tenants: Int
        package var problems: Int
    }

    package var endpoints: [Endpoint<AppRequestContext>] {
        [
            Endpoint(
                .get(
                    "healthz",
                    "Health of the server: ok or degraded, the number of tenants served and of problems waiting (never what they are)",
                    response: .json(.freeForm)
                ).open,
                use: answer
            )
        ]
    }

    private func answer(_: Request, _: AppRequestContext) async throws -> Response { health() }

    /// Per request, so it only counts (the entries, with their escaping, are made for the admin endpoint), and
    /// from one registry snapshot.
    package func health() -> Response {
        let registry = registry.current
        let count = ServerProblems.count(registry: registry, databases: databases)
        return Response.json(Health(status: count == 0 ? "ok" : "degraded", tenants: registry.tenants.count, problems: count))
    }
}

/// Every problem an admin must fix: tenant files that do not read, and databases that do not open.
package struct ServerProblems: Encodable {
    package struct Entry: Encodable {
        package var file: String
        package var line: Int?
        package var column: Int?
        package var tenant: String?
        package var message: String
        /// The one-line form `clinicbox check` prints.
        package var text: String
    }

    package var status: String
    package var tenants: Int
    package var problems: [Entry]

    package init(registry: TenantRegistry, databases: TenantDatabases) {
        problems = Self.list(registry: registry, databases: databases)
        status = problems.isEmpty ? "ok" : "degraded"
        tenants = registry.tenants.count
    }

    /// How many entries `list` would give.
    package static func count(registry: TenantRegistry, databases: TenantDatabases) -> Int {
        registry.problems.count + databases.problems.keys.filter { registry.tenants[$0] != nil }.count
    }

    package static func list(registry: TenantRegistry, databases: TenantDatabases) -> [Entry] {
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
    package static func json(_ body: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        json(bytes: ByteBuffer(bytes: JSON.encode(body)), status: status)
    }

    package static func json(bytes: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: bytes))
    }
}
