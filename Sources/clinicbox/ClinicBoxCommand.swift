import ArgumentParser
import ClinicBox

/// `clinicbox`: a thin command line over the ClinicBox library.
@main
struct ClinicBoxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clinicbox",
        abstract: "A self-hosted, multi-tenant system for small clinics, dental practices and pharmacies.",
        subcommands: [Serve.self, Check.self, Migrate.self, Backup.self, Restore.self, Export.self, Import.self, TenantCommand.self, UserCommand.self, AdminCommand.self],
        defaultSubcommand: Serve.self
    )
}
