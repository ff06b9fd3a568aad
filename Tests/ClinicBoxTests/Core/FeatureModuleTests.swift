import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ClinicBox
@testable import ClinicBoxCore

/// The module mechanism: the feature gate, and migrations that follow the tenant's `features:` list.
@Suite struct FeatureModuleTests {
    /// The recipe's second step: each module with pages has its own template folder, and every folder of templates
    /// belongs to a module or to the core (administration, shared partials).
    @Test func everyTemplateFolderBelongsToAModuleOrTheCore() throws {
        let templates = ClinicBoxBinary.packageRoot + "/Assets/templates"
        let folders = try FileManager.default.contentsOfDirectory(atPath: templates).filter { name in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: templates + "/" + name, isDirectory: &isFolder) && isFolder.boolValue
        }
        let catalog = FeatureCatalog.standard
        // A part of another module (clinical, documents) has no navigation entry of its own, but pages beside its whole's.
        let withPages = catalog.modules.filter { $0.navigation != nil || $0.partOf != nil }
        for module in withPages {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: templates + "/" + module.templateFolder)) ?? []
            #expect(files.contains { $0.hasSuffix(".mustache") }, "\(module.id) has no templates in \(module.templateFolder)/")
        }
        #expect(Set(folders).subtracting(withPages.map(\.templateFolder)).sorted() == ["account", "admin", "forms", "partials"])
    }

    @Test func aModuleTheTenantDoesNotHaveAnswers403() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha", features: [])
        let server = try await workspace.server()
        try await server.addUser("boss@example.com", role: .admin, password: TestUsers.password, to: ["alpha"])
        try await server.application.test(.router) { client in
            let boss = try await APIClient.signIn(client, tenant: "alpha", email: "boss@example.com")
            let refused = try await boss.get("patients")
            #expect(refused.status == .forbidden)
            #expect(refused.headers[.contentType] == "application/problem+json")
            #expect(refused.json["detail"] as? String == "feature 'patients' is not enabled for tenant 'alpha'")
            // The gate stands after authentication: a stranger is not told which modules the tenant has.
            let anonymous = try await client.execute(uri: "/t/alpha/api/v1/patients/1", method: .get)
            #expect(anonymous.status == .unauthorized)
        }
    }

    /// The clinical record and documents are modules of their own that come with patients: a tenant file never lists
    /// them, and they answer exactly when patients does, behind their own gates.
    @Test func partsComeWithTheirWhole() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha", features: [])
        try workspace.writeTenant("beta", features: ["patients"])
        let server = try await workspace.server()
        try await server.addUser("boss@example.com", role: .admin, password: TestUsers.password, to: ["alpha", "beta"])
        #expect(FeatureCatalog.standard.switchedOn(["patients"]) == ["patients", "clinical", "documents"])
        #expect(FeatureCatalog.standard.switchedOn(["inventory"]) == ["inventory"])
        try await server.application.test(.router) { client in
            let without = try await APIClient.signIn(client, tenant: "alpha", email: "boss@example.com")
            let allergies = try await without.get("patients/1/allergies")
            #expect(allergies.status == .forbidden)
            #expect(allergies.json["detail"] as? String == "feature 'clinical' is not enabled for tenant 'alpha'")
            #expect(try await without.get("documents/1").json["detail"] as? String == "feature 'documents' is not enabled for tenant 'alpha'")

            let with = try await APIClient.signIn(client, tenant: "beta", email: "boss@example.com")
            let patient = try await with.post("patients", ["first_name": "Ada", "last_name": "Byron"])
            #expect(patient.status == .created)
            let id = try #require(patient.json["id"] as? Int)
            #expect(try await with.get("patients/\(id)/allergies").json["state"] as? String == "not_recorded")
            #expect(try await with.get("patients/\(id)/documents").status == .ok)
            #expect(try await with.get("documents/999").status == .notFound)
        }
    }

    @Test func enablingByReloadMigratesAndDisablingKeepsTheData() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha", features: [])
        let server = try await workspace.server()
        try await server.addUser("boss@example.com", role: .admin, password: TestUsers.password, to: ["alpha"])
        let database = try await server.databases.database(for: TenantID("alpha")!, creating: true)
        let tables: @Sendable () async throws -> [String] = {
            try await database.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_schema WHERE type = 'table'") }
        }
        #expect(try await !tables().contains("patients"))

        try await server.application.test(.router) { client in
            let boss = try await APIClient.signIn(client, tenant: "alpha", email: "boss@example.com")
            try workspace.writeTenant("alpha", features: ["patients"])
            await server.reloader.reload()
            #expect(try await tables().contains("patients"))
            let created = try await boss.create("patients", ["first_name": "Ada", "last_name": "Lovelace"])

            try workspace.writeTenant("alpha", features: [])
            await server.reloader.reload()
            #expect(try await boss.get("patients").status == .forbidden)
            #expect(try await tables().contains("patients"))

            try workspace.writeTenant("alpha", features: ["patients"])
            await server.reloader.reload()
            let back = try await boss.get("patients/\(created["id"] as? Int ?? 0)")
            #expect(back.status == .ok && back.json["last_name"] as? String == "Lovelace")
        }
        // A database whose disabled module left tables behind still opens: those steps are known, not "newer".
        server.databases.closeAll()
        try workspace.writeTenant("alpha", features: [])
        await server.reloader.reload()
        #expect(try await server.databases.database(for: TenantID("alpha")!, creating: true).appliedSteps().contains("patients.v1"))
    }
}
