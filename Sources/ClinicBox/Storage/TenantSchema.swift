import GRDB

/// The ordered migration steps of a tenant database.
///
/// Steps are append-only and namespaced (`core.v1`, later `patients.v1`): a shipped step is never edited.
public struct TenantSchema: Sendable {
    public struct Step: Sendable {
        public var id: String
        public var apply: @Sendable (Database, TenantID) throws -> Void

        public init(id: String, apply: @escaping @Sendable (Database, TenantID) throws -> Void) {
            self.id = id
            self.apply = apply
        }
    }

    /// Marks a SQLite file as a ClinicBox tenant database (`PRAGMA application_id`, "CBOX").
    public static let applicationID: Int32 = 0x4342_4F58

    public var steps: [Step]
    /// The step ids in order, joined: two schemas with the same key apply the same steps.
    public let key: String

    /// Steps of modules this tenant has not enabled (or no longer has) that the binary knows.
    private let otherKnownIDs: Set<String>

    public init(steps: [Step], alsoKnown: Set<String> = []) {
        self.steps = steps
        self.key = steps.map(\.id).joined(separator: " ")
        self.otherKnownIDs = alsoKnown
    }

    /// Every step this binary knows, including those of modules a tenant has not enabled (or no longer has):
    /// a database with a step outside this set was written by a newer ClinicBox.
    public var knownIDs: Set<String> { otherKnownIDs.union(steps.map(\.id)) }

    public static let core = TenantSchema(steps: [
        Step(id: "core.v1") { db, tenant in
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")
            try db.execute(
                sql: """
                    CREATE TABLE clinicbox_tenant (
                        id TEXT NOT NULL PRIMARY KEY,
                        created_at TEXT NOT NULL
                    ) STRICT
                    """
            )
            try db.execute(
                sql: "INSERT INTO clinicbox_tenant (id, created_at) VALUES (?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                arguments: [tenant.rawValue]
            )
        }
    ])

    /// This schema followed by `other`'s steps.
    public func appending(_ other: TenantSchema) -> TenantSchema {
        TenantSchema(steps: steps + other.steps, alsoKnown: otherKnownIDs.union(other.otherKnownIDs))
    }

    /// The schema of a tenant with `features` enabled: the standard steps, then each enabled module's steps in
    /// catalogue order (so a module's tables come after those of the modules it needs).
    public static func forTenant(features: [String], catalog: FeatureCatalog) -> TenantSchema {
        TenantSchema(steps: standard.steps + catalog.modules.filter { features.contains($0.id) }.flatMap(\.migrations), alsoKnown: catalog.stepIDs)
    }

    func migrator(for tenant: TenantID) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for step in steps {
            migrator.registerMigration(step.id) { db in try step.apply(db, tenant) }
        }
        return migrator
    }
}
