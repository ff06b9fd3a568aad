import ArgumentParser
import ClinicBox
import ClinicBoxCore
import NIOCore
import NIOPosix

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
        subcommands: [
            Serve.self, DemoCommand.self, Check.self, Migrate.self, Backup.self, Restore.self, Export.self, Import.self, TenantCommand.self,
            UserCommand.self, ImportPatientsCommand.self, AdminCommand.self, SecurityCommand.self, RoutesCommand.self,
        ],
        defaultSubcommand: Serve.self
    )

    static func main() async {
        // Databases, backups and archives hold patient data: readable by this user only, whatever the shell's umask.
        umask(0o077)
        // Swift's tasks run on NIO's event loops, the threads that read and write the sockets, instead of hopping to
        // Swift's own pool and back for every request: on a 2-core box that is two threads fewer competing for the
        // cores, and each loop answers its connections in the order they asked. The chart page's median latency
        // under 64 connections fell from about 48 ms to 30 ms (bench/RESULTS.md, 2026-12-02). Blocking work keeps
        // off the loops as it kept off Swift's pool: password hashing has its own queues, writes GRDB's writer queue.
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
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
