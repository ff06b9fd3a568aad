import ArgumentParser
import ClinicBox
import ClinicBoxCore
import Clinical
import Foundation

/// `clinicbox import-patients --tenant ID FILE.csv`: a clinic's existing patients from a CSV file.
struct ImportPatientsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-patients",
        abstract: "Import patients from a CSV file (header: \(PatientImport.columns.joined(separator: ","))).",
        discussion: """
            Every row is checked as registration checks it; dates may be written YYYY-MM-DD or the local way (DD/MM/YYYY, \
            MM/DD/YYYY in the US). --dry-run reports every problem by line and column and imports nothing. Otherwise every valid \
            row not already here is imported in one transaction; rows already here (the same source_number, or a near-duplicate) \
            are reported and skipped. Exits 1 when any row has a problem.
            """
    )

    @OptionGroup var folders: UserCommand.Folders
    @Flag(help: "Check the file and report its problems; import nothing") var dryRun = false
    @Argument(help: "The CSV file") var file: String

    func run() async throws {
        let report = try await reportingFailure {
            let tenant = try TenantAccess.open(
                tenant: folders.tenant,
                tenantsFolder: folders.tenants,
                assetsFolder: folders.assets,
                dataFolder: folders.data,
                catalog: Environment.catalog
            )
            return try await TenantAccess.importPatients(file: file, dryRun: dryRun, into: tenant)
        }
        for problem in report.problems { print("\(file):\(problem.line):\(problem.column): \(problem.message)") }
        for duplicate in report.duplicates { print("\(file):\(duplicate.line): already here: \(duplicate.message)") }
        let verb = dryRun ? "would import" : "imported"
        print("\(report.rows) row(s): \(verb) \(report.imported), \(report.duplicates.count) already here, \(report.problems.count) problem(s)")
        if !report.problems.isEmpty { throw ExitCode(1) }
    }
}
