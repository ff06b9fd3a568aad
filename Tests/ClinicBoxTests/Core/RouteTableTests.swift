import ClinicBox
import ClinicBoxCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `clinicbox routes` lists exactly what the router serves, with the permission each route checks.
@Suite struct RouteTableTests {
    @Test func theTableHoldsEveryRouteOnceAndEveryOperationAndModulePage() async throws {
        let workspace = try TestWorkspace()
        let server = try await workspace.server()
        let table = server.routeTable
        let listed = Set(table.rows.map { "\($0.method) \($0.path)" })
        #expect(listed.count == table.rows.count, "a route is listed twice")
        // Every route the router registered (at the root and under /t/{tenant}/) is one row, and nothing else is.
        let served = Set(
            server.routes.map { route -> String in
                let parts = route.split(separator: " ", maxSplits: 1)
                var path = String(parts[1])
                for prefix in ["/t/:tenantID", "/t/{tenantID}"] where path.hasPrefix(prefix) { path = String(path.dropFirst(prefix.count)) }
                let segments = path.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
                return "\(parts[0]) /" + segments.joined(separator: "/")
            }
        )
        #expect(served == listed, "served only: \(served.subtracting(listed).sorted()); listed only: \(listed.subtracting(served).sorted())")

        try await server.application.test(.router) { client in
            let paths = try #require((try await TestRecords.openAPIDocument(client))["paths"] as? [String: [String: Any]])
            let operations = Set(paths.flatMap { path, methods in methods.keys.map { "\($0.uppercased()) \(path)" } })
            let api = Set(table.rows.filter { $0.kind == "api" }.map { "\($0.method) \($0.path)" })
            #expect(api == operations)
            #expect(table.rows.count == operations.count + table.rows.filter { $0.kind == "page" }.count)
        }
        // Every module route declares the permission it checks; every core route says who its handler lets in.
        #expect(table.rows.filter { $0.module != "core" && !$0.action.contains(".") }.isEmpty)
        let undeclared = table.rows.filter { $0.action == "-" }
        #expect(undeclared.isEmpty, "\(undeclared)")
        #expect(table.rows.contains(.init(method: "GET", path: "/api/tenants", action: "(system administrators)", module: "core", kind: "api")))
        #expect(table.rows.contains(.init(method: "GET", path: "/login", action: "(anyone)", module: "core", kind: "page")))
        #expect(
            table.rows.contains(
                .init(
                    method: "POST",
                    path: "/api/v1/prescriptions/{id}/dispense",
                    action: "prescriptions.dispense",
                    module: "prescriptions",
                    kind: "api"
                )
            )
        )
        #expect(table.rows.contains(.init(method: "POST", path: "/sales/{id}/refund", action: "sales.refund", module: "sales", kind: "page")))
    }

    @Test func theCommandPrintsTheTableWithoutTenantsOrData() async throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("routes-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let run = try await ClinicBoxBinary.run(["routes"], in: empty)
        #expect(run.status == 0, "\(run.errors)")
        let lines = run.output.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        #expect(lines.first == "METHOD PATH ACTION MODULE KIND FILE")
        #expect(
            lines.contains("GET /api/v1/patients/{id} patients.read patients api Features/Patients/PatientsRoutes.swift"),
            "\(lines.count) lines"
        )
        #expect(
            lines.contains(
                "POST /appointments/{id}/status appointments.write appointments page Features/Appointments/AppointmentsRoutes.swift"
            ),
            "\(lines.count) lines"
        )
        #expect(lines.last?.contains("API operations") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: empty).isEmpty, "routes reads and writes nothing where it runs")
    }
}
