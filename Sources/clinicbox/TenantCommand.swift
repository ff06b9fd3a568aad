import ArgumentParser
import ClinicBox
import ClinicBoxCore
import Foundation

struct TenantCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenant",
        abstract: "Manage tenant files.",
        subcommands: [New.self]
    )

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a commented starter file tenants.d/<id>.yaml.")

        @Argument(help: "The new tenant's id (\(TenantID.rule))") var id: String
        @Option(help: "clinic, dental, pharmacy or general") var domain: String
        @Option(help: "Tenant folder (default: ./tenants.d)") var tenants: String = "tenants.d"

        func run() throws {
            guard let tenantID = TenantID(id) else { throw ValidationError("'\(id)' is not a tenant id; use \(TenantID.rule)") }
            guard let tenantDomain = TenantDomain(rawValue: domain) else {
                throw ValidationError("unknown domain '\(domain)'; use one of \(TenantDomain.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let path = "\(tenants)/\(tenantID).yaml"
            guard !FileManager.default.fileExists(atPath: path) else { throw ValidationError("\(path) already exists; edit it instead") }
            try FileManager.default.createDirectory(atPath: tenants, withIntermediateDirectories: true)
            try TenantStarterFile.text(id: tenantID, domain: tenantDomain, features: Environment.catalog).write(
                toFile: path,
                atomically: true,
                encoding: .utf8
            )
            print("wrote \(path); edit it, then run `clinicbox check`")
        }
    }
}
