import GRDB

/// The ordered migration steps of a tenant database.
///
/// Steps are append-only and namespaced (`core.v1`, later `patients.v1`): a shipped step is never edited.
public struct TenantSchema: Sendable {
    public struct Step: Sendable {
        public var id: String
        public var apply: @Sendable (Database, Context) throws -> Void

        public init(id: String, apply: @escaping @Sendable (Database, Context) throws -> Void) {
            self.id = id
            self.apply = apply
        }
    }

    /// Marks a SQLite file as a ClinicBox tenant database (`PRAGMA application_id`, "CBOX").
    public static let applicationID: Int32 = 0x4342_4F58

    /// What a step may need to know about the tenant whose file it migrates.
    public struct Context: Sendable {
        public var tenant: TenantID
        /// How the tenant's local phone numbers are written in full (for steps that store them as E.164).
        package var phoneNumbering: PhoneNumbering
    }

    public var steps: [Step]
    /// The tenant's phone numbering, for steps that fill E.164 columns.
    package var phoneNumbering = PhoneNumbering(callingCode: nil)
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
        Step(id: "core.v1") { db, context in
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
                arguments: [context.tenant.rawValue]
            )
        }
    ])

    /// This schema followed by `other`'s steps.
    public func appending(_ other: TenantSchema) -> TenantSchema {
        var schema = TenantSchema(steps: steps + other.steps, alsoKnown: otherKnownIDs.union(other.otherKnownIDs))
        schema.phoneNumbering = phoneNumbering
        return schema
    }

    /// The schema of a tenant with `features` enabled: the standard steps, then each enabled module's steps in
    /// catalogue order (so a module's tables come after those of the modules it needs).
    public static func forTenant(features: [String], catalog: FeatureCatalog) -> TenantSchema {
        let on = catalog.switchedOn(features)
        return TenantSchema(steps: standard.steps + catalog.modules.filter { on.contains($0.id) }.flatMap(\.migrations), alsoKnown: catalog.stepIDs)
    }

    /// The schema of the tenant `definition` describes: its modules' steps, with its phone numbering at hand.
    public static func forTenant(_ definition: TenantDefinition, catalog: FeatureCatalog) -> TenantSchema {
        var schema = forTenant(features: definition.features, catalog: catalog)
        schema.phoneNumbering = definition.phoneNumbering
        return schema
    }

    package func migrator(for tenant: TenantID) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for step in steps {
            migrator.registerMigration(step.id) { [phoneNumbering] db in try step.apply(db, Context(tenant: tenant, phoneNumbering: phoneNumbering)) }
        }
        return migrator
    }
}
