import ArgumentParser
import ClinicBox

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `clinicbox`: a thin command line over the ClinicBox library.
@main
struct ClinicBoxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clinicbox",
        abstract: "A self-hosted, multi-tenant system for small clinics, dental practices and pharmacies.",
        subcommands: [Serve.self, DemoCommand.self, Check.self, Migrate.self, Backup.self, Restore.self, Export.self, Import.self, TenantCommand.self, UserCommand.self, AdminCommand.self, RoutesCommand.self],
        defaultSubcommand: Serve.self
    )

    static func main() async {
        // Databases, backups and archives hold patient data: readable by this user only, whatever the shell's umask.
        umask(0o077)
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
