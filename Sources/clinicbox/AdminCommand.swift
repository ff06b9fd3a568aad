import ArgumentParser
import ClinicBox
import ClinicBoxCore

/// `clinicbox admin …`: system administrators (all tenants' configuration and health, no patient records).
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Manage system administrators.",
        subcommands: [Add.self, Passwd.self, List.self, Disable.self]
    )

    struct Folder: ParsableArguments {
        @Option(help: "Data folder holding system.sqlite (default: ./data)") var data: String = "data"

        func admins() throws -> SystemAdmins {
            try reportingFailureNow { try SystemAdmins.open(dataFolder: data) }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a system administrator; the password is read from standard input.")
        @OptionGroup var folder: Folder
        @Option(help: "Email address") var email: String

        func run() async throws {
            let admins = try folder.admins()
            let password = try PasswordInput.read(confirm: true)
            try await reportingFailure { try await admins.add(email: email, password: password) }
            print("added system administrator \(email.lowercased())")
        }
    }

    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a system administrator's password (from standard input); revokes their tokens."
        )
        @OptionGroup var folder: Folder
        @Option(help: "Email address") var email: String

        func run() async throws {
            let admins = try folder.admins()
            let password = try PasswordInput.read(confirm: true)
            try await reportingFailure { try await admins.setPassword(email: email, to: password) }
            print("password changed for \(email.lowercased()); their tokens are revoked")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List system administrators.")
        @OptionGroup var folder: Folder

        func run() async throws {
            for admin in try await folder.admins().list() {
                print("\(admin.email)\t\(admin.active ? "active" : "disabled")\tsince \(admin.createdAt)")
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a system administrator and revoke their tokens.")
        @OptionGroup var folder: Folder
        @Option(help: "Email address") var email: String

        func run() async throws {
            try await reportingFailure { try await folder.admins().disable(email: email) }
            print("disabled system administrator \(email.lowercased())")
        }
    }
}
