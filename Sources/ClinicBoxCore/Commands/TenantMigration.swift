/// `clinicbox migrate`: brings tenant databases up to this binary's schema, one tenant at a time,
/// so a tenant whose migration fails is rolled back and reported without stopping the others.
public enum TenantMigration {
    public struct Outcome: Sendable {
        public var tenant: TenantID
        public var applied: [String]
        public var error: String?

        /// One line per tenant, as the command prints it.
        public var line: String {
            if let error { return "\(tenant): FAILED — \(error)" }
            return applied.isEmpty ? "\(tenant): up to date" : "\(tenant): applied \(applied.joined(separator: ", "))"
        }
    }

    /// Migrates each of `tenants` to the schema `schema` gives for it.
    public static func run(tenants: [TenantID], dataFolder: String, schema: (TenantID) -> TenantSchema) -> [Outcome] {
        tenants.map { tenant in
            do throws(TenantStorageError) {
                let database = try TenantDatabase.open(
                    tenant,
                    in: dataFolder,
                    schema: schema(tenant),
                    create: true,
                    quickCheck: true,
                    maximumReaders: 1
                )
                return Outcome(tenant: tenant, applied: database.appliedAtOpen)
            } catch {
                return Outcome(tenant: tenant, applied: [], error: error.message)
            }
        }
    }
}
