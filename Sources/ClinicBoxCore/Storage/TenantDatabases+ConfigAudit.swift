import Foundation

extension TenantDatabases {
    /// Writes each applied change of a tenant's YAML into that tenant's audit trail. A tenant with no
    /// database yet gets none: a configuration edit is not a first use of its data.
    package func recordConfigurationChanges(_ changes: [TenantChange]) async {
        for change in changes where hasDatabase(change.tenant) {
            do {
                let database = try await database(for: change.tenant)
                try await database.write { db in
                    try AuditLog.record(
                        db,
                        actor: AuditActor(clientAddress: "tenants.d"),
                        action: "tenant.config_changed",
                        entityType: "tenant",
                        entityID: change.tenant.rawValue,
                        changes: ["summary": .init(before: nil, after: change.summary)]
                    )
                }
            } catch {
                // The database's own problem is already reported in /healthz; the reload itself stands.
            }
        }
    }
}
