import Appointments
import ClinicBoxCore
import Foundation
import GRDB
import Hummingbird
import Inventory
import Logging
import Patients
import Prescriptions
import Reports
import Sales
import Treatments
import Visits

/// `clinicbox demo`: a realistic, coherent day in each example tenant, written through the tenant's own JSON API
/// (`LocalAPIClient`) by demo staff, one per role, so every record has its checks, audit rows and search words.
/// Never run by anything else; a tenant that already has patients is refused unless `force`, so demo and real
/// records are not mixed by accident.
public enum DemoData {
    public struct Account: Sendable {
        public var email: String
        public var role: Role
        public var name: String
    }

    public struct Filled: Sendable {
        public var tenant: TenantID
        public var name: String
        public var accounts: [Account]
        /// What was made, in words: `24 patients`, `31 appointments`.
        public var made: [String]
    }

    public struct Refused: Error, CustomStringConvertible {
        public var description: String
    }

    /// Fills `tenants` (nil: every valid tenant) and returns what each got; the one `password` signs in every demo
    /// account. Nothing is written when any tenant is refused. The day is the one `now` falls in, what has passed of it
    /// already happened (tests choose the afternoon).
    public static func fill(
        _ tenants: [TenantID]?,
        force: Bool,
        password: String,
        configuration: AppConfiguration,
        now: Date = Date()
    ) async throws -> [Filled] {
        var configuration = configuration
        configuration.port = 0
        let server = try await ClinicBoxServer.build(configuration)
        defer { server.databases.closeAll() }
        let known = server.registry.current.tenants
        var chosen: [Tenant] = []
        for id in tenants ?? known.keys.sorted(by: { $0.rawValue < $1.rawValue }) {
            guard let tenant = known[id] else {
                throw Refused(description: "no valid tenant '\(id)' in \(configuration.tenantsFolder); run `clinicbox check` to see why")
            }
            chosen.append(tenant)
        }
        var refusals: [String] = []
        for tenant in chosen where !force {
            let patients = try await patientCount(tenant, server.databases)
            if patients > 0 { refusals.append("\(tenant.id) already has \(patients) patient\(patients == 1 ? "" : "s")") }
        }
        guard refusals.isEmpty else {
            throw Refused(
                description:
                    "\(refusals.joined(separator: "; ")); demo data is never mixed with real records, so nothing was written. Add --force for tenants that hold only test data."
            )
        }
        let responder = server.application.responder
        var filled: [Filled] = []
        for tenant in chosen {
            filled.append(try await fill(tenant, password: password, server: server, responder: responder, logger: configuration.logger, now: now))
        }
        return filled
    }

    /// Four words and two digits, from the system's random source: typed by people trying ClinicBox out.
    public static func randomPassword() -> String {
        let words = [
            "amber", "basil", "cedar", "delta", "ember", "fjord", "hazel", "indigo", "jasper", "kestrel", "lantern", "meadow", "nectar",
            "orchid", "pebble", "quartz", "raven", "saffron", "tundra", "umber", "velvet", "willow", "yarrow", "zephyr", "copper", "harbour",
            "marble", "piano", "tidal", "violet", "walnut", "lagoon",
        ]
        var generator = SystemRandomNumberGenerator()
        return words.shuffled(using: &generator).prefix(4).joined(separator: " ") + " \(Int.random(in: 10...99, using: &generator))"
    }

    private static func patientCount(_ tenant: Tenant, _ databases: TenantDatabases) async throws -> Int {
        guard databases.hasDatabase(tenant.id) else { return 0 }
        let database = try await databases.database(for: tenant.id, schema: tenant.schema)
        return try await database.read { db in
            try db.tableExists("patients") ? Int.fetchOne(db, sql: "SELECT count(*) FROM patients") ?? 0 : 0
        }
    }

    private static func fill(
        _ tenant: Tenant,
        password: String,
        server: ClinicBoxServer,
        responder: RouterResponder<AppRequestContext>,
        logger: Logger,
        now: Date
    ) async throws -> Filled {
        let database = try await server.databases.database(for: tenant.id, schema: tenant.schema, creating: true)
        let staff = try await DemoStaff.make(for: tenant, password: password, database: database)
        let tokens = AccessTokens(database: database)
        var clients: [DemoStaff.Job: LocalAPIClient] = [:]
        var issued: [Int64] = []
        for (job, user) in staff.users {
            let token = try await tokens.issue(for: user, kind: .token, by: .commandLine)
            issued.append(token.id)
            clients[job] = LocalAPIClient(responder: responder, tenant: tenant.id, logger: logger, token: token.token)
        }
        var day = DemoDay(tenant: tenant, staff: staff, clients: clients, now: now)
        try await day.write()
        // The demo's own tokens are not left behind: the staff sign in with the password like anyone.
        for id in issued { _ = try await tokens.revoke(id, ownedBy: nil, by: .commandLine) }
        return Filled(tenant: tenant.id, name: tenant.definition.name, accounts: staff.accounts, made: day.made)
    }
}
