import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import ClinicBox
@testable import ClinicBoxCore
@testable import Patients

/// A fresh temporary `tenants.d/`, data folder and assets folder for one test, removed afterwards.
final class TestWorkspace: Sendable {
    let root: String
    var tenants: String { root + "/tenants.d" }
    var data: String { root + "/data" }
    var assets: String { root + "/Assets" }

    /// scrypt at 1/80 of the standard work: the algorithm and the stored form are the real ones, at a cost a debug
    /// build can pay hundreds of times (`PasswordHasher.lowerCostForTests`). The standard cost is tested by
    /// `AccountsTests` and by every suite that runs the binary.
    static let passwordCost = PasswordHasher.Parameters(logRounds: 10, blockSize: 8, parallelism: 1)

    init() throws {
        PasswordHasher.lowerCostForTests(to: Self.passwordCost)
        root = FileManager.default.temporaryDirectory.appendingPathComponent("clinicbox-\(UUID().uuidString)").path
        for folder in [root + "/tenants.d/assets", root + "/data", root + "/Assets/logos"] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        try "<svg xmlns=\"http://www.w3.org/2000/svg\"/>".write(toFile: root + "/Assets/logos/default.svg", atomically: true, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// Writes `tenants.d/<name>.yaml` with exactly `text`.
    func write(_ name: String, _ text: String) throws {
        try text.write(toFile: "\(tenants)/\(name).yaml", atomically: true, encoding: .utf8)
    }

    /// Writes a valid tenant file; `extra` lines are appended at the top level.
    func writeTenant(_ id: String, domain: String = "clinic", name: String? = nil, features: [String] = ["patients"], extra: String = "") throws {
        try write(id, TestTenant.yaml(id, domain: domain, name: name, features: features, extra: extra))
    }

    func remove(_ name: String) throws {
        try FileManager.default.removeItem(atPath: "\(tenants)/\(name).yaml")
    }

    func configuration(port: Int = 0) -> AppConfiguration {
        var configuration = AppConfiguration()
        configuration.tenantsFolder = tenants
        configuration.dataFolder = data
        configuration.assetsFolder = assets
        configuration.port = port
        // Tests reload explicitly unless they test watching: a watcher reloading at the same moment would take the
        // change a test's own reload() is meant to report (the test then sees nothing changed).
        configuration.reloadInterval = .seconds(60)
        configuration.watchTenantFiles = false
        configuration.logger = Logger(label: "test")
        configuration.logger.logLevel = .critical
        return configuration
    }

    func server(_ change: (inout AppConfiguration) -> Void = { _ in }) async throws -> ClinicBoxServer {
        var configuration = configuration()
        change(&configuration)
        return try await ClinicBoxServer.build(configuration)
    }

    func check() -> TenantCheck.Report {
        TenantCheck.run(tenantsFolder: tenants, assetsFolder: assets, catalog: .standard)
    }
}

enum TestTenant {
    static func yaml(_ id: String, domain: String = "clinic", name: String? = nil, features: [String] = ["patients"], extra: String = "") -> String {
        """
        id: \(id)
        name: \(name ?? "Tenant \(id)")
        domain: \(domain)
        timezone: Europe/Berlin
        currency: EUR
        features: [\(features.joined(separator: ", "))]
        \(extra)
        """
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    /// `text` without the labels a phone shows beside each table cell (`<td data-label="Branch">`), so a test
    /// reads a row as `<td>Main Street</td><td>12</td>`.
    var cells: String { text.replacingOccurrences(of: #" data-label="[^"]*""#, with: "", options: .regularExpression) }

    /// The body decoded as a JSON object.
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
    }
}

extension HTTPFields {
    init(_ dictionary: [String: String]) {
        self.init(dictionary.map { HTTPField(name: HTTPField.Name($0.key)!, value: $0.value) })
    }
}

extension TestClientProtocol {
    /// Every problem the server reports, from the system administrators' `/api/system/problems` (an administrator
    /// is added to `workspace` the first time).
    func serverProblems(_ workspace: TestWorkspace) async throws -> [[String: Any]] {
        let admins = try SystemAdmins.open(dataFolder: workspace.data)
        if try await admins.list().isEmpty { try await admins.add(email: "root@example.com", password: "system passphrase here") }
        let body = ByteBuffer(string: #"{"email":"root@example.com","password":"system passphrase here"}"#)
        let token = try await execute(uri: "/api/system/token", method: .post, headers: [.contentType: "application/json"], body: body)
        let bearer = try #require(token.json["token"] as? String, "\(token.text)")
        let answer = try await execute(uri: "/api/system/problems", method: .get, headers: [.authorization: "Bearer \(bearer)"])
        return try #require(answer.json["problems"] as? [[String: Any]], "\(answer.text)")
    }
}

extension ClinicBoxServer {
    /// The user accounts of a served tenant, through the server's own database pool.
    func accounts(_ id: String) async throws -> UserAccounts {
        let tenant = try #require(registry.current.tenant(TenantID(id)!), "tenant \(id) is not served")
        return UserAccounts(tenant: tenant.definition, database: try await databases.database(for: tenant.id, creating: true))
    }

    /// Adds a user to each of `tenants` with the same email, role and password.
    /// A user named after the email's local part (`boss@example.com` is "Boss") unless `name` is given.
    func addUser(_ email: String, name: String? = nil, role: Role, branches: [String] = [], password: String, to tenants: [String]) async throws {
        let name = name ?? String(email.prefix { $0 != "@" }).capitalized
        for id in tenants {
            _ = try await accounts(id).create(
                .init(email: email, displayName: name, role: role, branches: branches, password: password),
                by: .commandLine
            )
        }
    }
}
