import ArgumentParser
import ClinicBox
import ClinicBoxCore
import Foundation

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Bring tenant databases up to this binary's schema; one line per tenant.")

    @Option(help: "Only this tenant") var tenant: String?
    @Option(help: "Tenant folder (default: ./tenants.d)") var tenants: String = "tenants.d"
    @Option(help: "Data folder (default: ./data)") var data: String = "data"
    @Option(help: "A folder whose files replace the built-in assets (templates/, static/, logos/)") var assets: String?

    func run() throws {
        let report = TenantCheck.run(tenantsFolder: tenants, assetsFolder: assets, catalog: Environment.catalog)
        let known = report.validTenants
        var selected = known
        if let tenant {
            guard let id = TenantID(tenant), known.contains(id) else { throw ValidationError("no valid tenant '\(tenant)' in \(tenants)") }
            selected = [id]
        }
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        let outcomes = TenantMigration.run(tenants: selected, dataFolder: data) { report.schemas[$0] ?? .standard }
        for outcome in outcomes { print(outcome.line) }
        if outcomes.contains(where: { $0.error != nil }) { throw ExitCode.failure }
    }
}
