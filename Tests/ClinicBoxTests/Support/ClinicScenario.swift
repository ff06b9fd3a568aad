import ClinicBox
import ClinicBoxCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The preamble most suites share, once: a workspace with one tenant file, the real server over it, its staff, and
/// inside `run` a signed-in caller per person and a registered patient in one line each.
///
///     let clinic = try await ClinicScenario(features: ["patients", "treatments"], domain: "dental")
///     try await clinic.run { desk in
///         let dentist = try await desk.signIn("clinician@example.com")
///         let patient = try await desk.patient(as: dentist)
///     }
struct ClinicScenario {
    struct Person {
        var email: String
        var name: String? = nil
        var role: Role
    }

    /// One person per role below admin, named by role (`clinician@example.com`), and an admin.
    static let everyRole = [
        Person(email: "admin@example.com", role: .admin), Person(email: "manager@example.com", role: .manager),
        Person(email: "clinician@example.com", name: "Dr Amina Njoroge", role: .clinician), Person(email: "staff@example.com", role: .staff),
    ]

    let workspace: TestWorkspace
    let server: ClinicBoxServer
    let tenant: String

    init(
        tenant: String = "clinic",
        domain: String = "clinic",
        features: [String],
        extra: String = "",
        people: [Person] = ClinicScenario.everyRole
    ) async throws {
        workspace = try TestWorkspace()
        try workspace.writeTenant(tenant, domain: domain, features: features, extra: extra)
        server = try await workspace.server()
        for person in people {
            try await server.addUser(person.email, name: person.name, role: person.role, password: TestUsers.password, to: [tenant])
        }
        self.tenant = tenant
    }

    /// Runs `body` against the real router.
    func run(_ body: @escaping @Sendable (Session) async throws -> Void) async throws {
        let tenant = self.tenant
        try await server.application.test(.router) { client in try await body(Session(client: client, tenant: tenant)) }
    }

    /// One test's connection to the server.
    struct Session: Sendable {
        let client: any TestClientProtocol
        let tenant: String

        func signIn(_ email: String) async throws -> APIClient {
            try await APIClient.signIn(client, tenant: tenant, email: email)
        }

        /// Registers a patient (Ada Lovelace unless `fields` say otherwise) and answers their id.
        func patient(as caller: APIClient, _ fields: [String: Any] = TestRecords.ada) async throws -> Int {
            guard let id = try await caller.create("patients", fields)["id"] as? Int else { throw ScenarioError.noID }
            return id
        }
    }

    enum ScenarioError: Error { case noID }
}
