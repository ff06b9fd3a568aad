import ArgumentParser
import ClinicBox
import ClinicBoxCore

/// `clinicbox routes`: every URL the server answers, with the permission each checks, the module that owns it and
/// the file that declares it, read from the route list the server registers. It needs no tenants or data folder.
struct RoutesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "routes",
        abstract: "List every route: method, path, the permission it checks, its module, api or page, and its source file."
    )

    func run() async throws {
        let table = try ClinicBoxServer.routeTable()
        print(table.text, terminator: "")
        print(
            "\(table.rows.count) routes (\(table.rows.filter { $0.kind == "api" }.count) API operations, \(table.rows.filter { $0.kind == "page" }.count) pages and files); each tenant-scoped one is also served under /t/{tenant}/"
        )
    }
}
