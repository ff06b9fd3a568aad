import Hummingbird

/// The one door to a tenant's database that a request holds; it opens only its own tenant's file.
public struct TenantStorage: Sendable {
    public let tenant: TenantID
    private let schema: TenantSchema
    private let databases: TenantDatabases

    package init(tenant: Tenant, databases: TenantDatabases) {
        self.tenant = tenant.id
        self.schema = tenant.schema
        self.databases = databases
    }

    /// False while the tenant has never had a database, so no one can sign in yet (nothing is opened to find out).
    public var hasDatabase: Bool { databases.hasDatabase(tenant) }

    /// The tenant's database, opened on demand. A request never creates it (see `TenantDatabases.database`):
    /// a route that gets here has a signed-in user, whose account lives in it.
    public func database() async throws(Problem) -> TenantDatabase {
        guard let database = try await existingDatabase() else {
            throw Problem(
                .serviceUnavailable,
                title: "Tenant database unavailable",
                detail: "Tenant '\(tenant)' has no database yet; it gets one when its first user is added (clinicbox user add)."
            )
        }
        return database
    }

    /// The tenant's database, made now if it has none: only for a request that has shown it may put the first data
    /// in it (a valid setup link).
    package func creatingDatabase() async throws(Problem) -> TenantDatabase {
        do {
            return try await databases.database(for: tenant, schema: schema, creating: true)
        } catch {
            throw Problem(
                .serviceUnavailable,
                title: "Tenant database unavailable",
                detail:
                    "The database of tenant '\(tenant)' cannot be made right now; the administrator has been told why in the log and the tenant's health."
            )
        }
    }

    /// The tenant's database, or nil when it has never had one: then it has no users, no sessions and no
    /// tokens, which is what sign-in and authentication need to know, without creating anything.
    public func existingDatabase() async throws(Problem) -> TenantDatabase? {
        do {
            return try await databases.database(for: tenant, schema: schema)
        } catch  where error.isAbsent {
            return nil
        } catch {
            throw Problem(
                .serviceUnavailable,
                title: "Tenant database unavailable",
                detail:
                    "The database of tenant '\(tenant)' cannot be used right now; the administrator has been told why in the log and the tenant's health."
            )
        }
    }
}
