import ArgumentParser
import ClinicBox
import ClinicBoxCore

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Validate every tenant file and print each problem as file:line:column.")

    @Argument(help: "Tenant folder (default: ./tenants.d)") var folder: String = "tenants.d"
    @Option(help: "A folder whose files replace the built-in assets (templates/, static/, logos/)") var assets: String?

    @Flag(
        help: "Follow symbolic links wherever they point (default: only links to files inside the folder) [env: CLINICBOX_TENANTS_FOLLOW_SYMLINKS=1]"
    )
    var tenantsFollowSymlinks = false

    func run() throws {
        let report = TenantCheck.run(
            tenantsFolder: folder,
            assetsFolder: assets,
            catalog: Environment.catalog,
            followSymlinks: tenantsFollowSymlinks || TenantCheck.followsSymlinksByDefault
        )
        for problem in report.problems { print(problem) }
        print("\(report.validTenants.count) valid tenant(s), \(report.problems.count) problem(s)")
        if !report.isClean { throw ExitCode.failure }
    }
}
