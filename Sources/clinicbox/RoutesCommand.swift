import ArgumentParser
import ClinicBox
import Foundation

/// `clinicbox routes`: every URL the server answers, with the permission each checks and the module that owns it,
/// read from the router the server builds (over an empty tenant folder, so nothing is read or written).
struct RoutesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "routes",
        abstract: "List every route: method, path, the permission it checks, its module, and api or page."
    )

    func run() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("clinicbox-routes-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try FileManager.default.createDirectory(atPath: scratch + "/tenants.d", withIntermediateDirectories: true)
        var configuration = AppConfiguration()
        configuration.tenantsFolder = scratch + "/tenants.d"
        configuration.dataFolder = scratch + "/data"
        configuration.logger.logLevel = .critical
        let table = try await ClinicBoxServer.build(configuration).routeTable
        print(table.text, terminator: "")
        print(
            "\(table.rows.count) routes (\(table.rows.filter { $0.kind == "api" }.count) API operations, \(table.rows.filter { $0.kind == "page" }.count) pages and files); each tenant-scoped one is also served under /t/{tenant}/"
        )
    }
}
