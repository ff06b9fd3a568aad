import ArgumentParser
import ClinicBox
import ClinicBoxCore
import Foundation
import Logging

/// `clinicbox demo`: demo staff and a day of records in the example tenants, to look around. Never run by anything else.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Fill tenants with demo data: staff for each role, patients, appointments, stock, prescriptions and sales.",
        discussion: "Refuses a tenant that already has patients, so demo and real records are never mixed, unless --force."
    )

    @Option(help: "Only this tenant (default: every valid tenant in the tenant folder)") var tenant: String?
    @Option(help: "Tenant folder (default: ./tenants.d)") var tenants: String = "tenants.d"
    @Option(help: "Data folder (default: ./data)") var data: String = "data"
    @Option(help: "A folder whose files replace the built-in assets (templates/, static/, logos/)") var assets: String?
    @Flag(help: "Add demo data even to tenants that already have patients (only for tenants that hold test data)") var force = false

    func run() async throws {
        var configuration = AppConfiguration()
        configuration.tenantsFolder = tenants
        configuration.dataFolder = data
        configuration.assetsFolder = assets
        configuration.logger = Logger(label: "clinicbox")
        configuration.logger.logLevel = .warning
        var chosen: [TenantID]?
        if let tenant {
            guard let id = TenantID(tenant) else { throw ValidationError("'\(tenant)' is not a tenant id; ids are \(TenantID.rule)") }
            chosen = [id]
        }
        let password = DemoData.randomPassword()
        let filled = try await reportingFailure { try await DemoData.fill(chosen, force: force, password: password, configuration: configuration) }
        for tenant in filled {
            print("\(tenant.name) (\(tenant.tenant)), http://\(tenant.tenant).localhost:8080/login: \(tenant.made.joined(separator: ", "))")
            for account in tenant.accounts { print("  \(account.email)\t\(account.role.rawValue)\t\(account.name)") }
        }
        print("\nEvery demo account's password: \(password)")
        print(
            "Start the server with `swift run clinicbox` (the addresses above assume its default port, 8080). These are demo accounts: disable them before real use (clinicbox user disable)."
        )
    }
}
