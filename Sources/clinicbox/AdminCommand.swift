import ArgumentParser
import ClinicBox

/// `clinicbox admin add`: a system administrator (all tenants' configuration and health, no patient records).
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "admin", abstract: "Manage system administrators.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a system administrator; the password is read from standard input.")
        @Option(help: "Email address") var email: String
        @Option(help: "Data folder holding system.sqlite (default: ./data)") var data: String = "data"

        func run() async throws {
            let password = try PasswordInput.read(confirm: true)
            do {
                try await SystemAdmins.open(dataFolder: data).add(email: email, password: password)
            } catch {
                throw CommandFailure(String(describing: error))
            }
            print("added system administrator \(email.lowercased())")
        }
    }
}
