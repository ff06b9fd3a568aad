import ArgumentParser
import ClinicBox
import ClinicBoxCore

/// `clinicbox security events`: what the box saw across tenants, for the person who looks after it.
struct SecurityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "security",
        abstract: "What the box saw across tenants.",
        subcommands: [Events.self]
    )

    struct Events: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List credentials and sign-in emails of one tenant tried at another, newest first."
        )
        @OptionGroup var folder: AdminCommand.Folder
        @Option(help: "How many events to list (1-10000)") var limit: Int = 100

        func run() async throws {
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be 1 to 10000") }
            let events = try reportingFailureNow { try SecurityEvents.recent(limit, in: try folder.admins().pool) }
            if events.isEmpty { print("no cross-tenant attempts recorded") }
            for event in events { print(event.line) }
        }
    }
}
