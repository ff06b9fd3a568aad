import ArgumentParser
import ClinicBox
import ClinicBoxCore
import Foundation

/// `clinicbox user …`: manage a tenant's users from the box, without a browser (how the first admin is made).
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage a tenant's users.",
        subcommands: [Add.self, Passwd.self, List.self, Disable.self, ResetTwoFactor.self]
    )

    struct Folders: ParsableArguments {
        @Option(help: "The tenant id") var tenant: String
        @Option(help: "Tenant folder (default: ./tenants.d)") var tenants: String = "tenants.d"
        @Option(help: "Data folder (default: ./data)") var data: String = "data"
        @Option(help: "A folder whose files replace the built-in assets (templates/, static/, logos/)") var assets: String?

        func accounts() throws -> UserAccounts {
            try reportingFailureNow {
                try TenantAccess.accounts(
                    tenant: tenant,
                    tenantsFolder: tenants,
                    assetsFolder: assets,
                    dataFolder: data,
                    catalog: Environment.catalog
                )
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user; the password is read from standard input (or asked for on a terminal)."
        )
        @OptionGroup var folders: Folders
        @Option(help: "Email address (unique within the tenant)") var email: String
        @Option(help: "admin, manager, clinician or staff") var role: String
        @Option(help: "Display name (default: the part of the email before @)") var name: String?
        @Option(help: "Comma-separated branch codes the user may act in (default: all)") var branches: String?
        @Flag(help: "Sees patients: offered as a practitioner when booking (clinicians always are)") var practitioner = false
        @Option(help: "Professional registration number, printed on their prescriptions") var registrationNumber: String?

        func run() async throws {
            guard let role = Role(rawValue: role) else {
                throw ValidationError("unknown role '\(role)'; use one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let accounts = try folders.accounts()
            let password = try PasswordInput.read(confirm: true)
            let branchCodes = branches.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
            let new = UserAccounts.NewUser(
                email: email,
                displayName: name ?? String(email.split(separator: "@").first ?? ""),
                role: role,
                branches: branchCodes,
                password: password,
                practitioner: practitioner,
                registrationNumber: registrationNumber
            )
            let user = try await reportingFailure { try await accounts.create(new, by: .commandLine) }
            print("added \(user.email) (\(user.role.rawValue)) to tenant \(folders.tenant)")
        }
    }

    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a user's password, read from standard input (or asked for on a terminal).")
        @OptionGroup var folders: Folders
        @Option(help: "Email address") var email: String

        func run() async throws {
            let accounts = try folders.accounts()
            let password = try PasswordInput.read(confirm: true)
            try await reportingFailure { try await accounts.setPassword(email: email, to: password, by: .commandLine) }
            print("password changed for \(email.lowercased())")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a tenant's users.")
        @OptionGroup var folders: Folders

        func run() async throws {
            for user in try await folders.accounts().list() {
                let branches = user.branches.isEmpty ? "all branches" : user.branches.joined(separator: ",")
                print(
                    "\(user.email)\t\(user.role.rawValue)\(user.practitioner && user.role != .clinician ? ",practitioner" : "")\t\(branches)\t\(user.active ? "active" : "disabled")\t\(user.displayName)"
                )
            }
        }
    }

    /// For the admin who lost their phone and recovery codes, when no other admin can turn it off on the pages.
    struct ResetTwoFactor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-2fa",
            abstract: "Turn off a user's two-factor sign-in and end their sessions; they set it up again after signing in."
        )
        @OptionGroup var folders: Folders
        @Option(help: "Email address") var email: String

        func run() async throws {
            let wasOn = try await reportingFailure { try await folders.accounts().resetTwoFactor(email: email, by: .commandLine) }
            print(wasOn ? "two-factor sign-in turned off for \(email.lowercased())" : "\(email.lowercased()) had no two-factor sign-in")
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user; their history is kept.")
        @OptionGroup var folders: Folders
        @Option(help: "Email address") var email: String

        func run() async throws {
            try await reportingFailure { try await folders.accounts().disable(email: email, by: .commandLine) }
            print("disabled \(email.lowercased())")
        }
    }
}
