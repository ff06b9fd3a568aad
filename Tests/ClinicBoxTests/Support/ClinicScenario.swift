import ClinicBox
import ClinicBoxCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The preamble most suites share, once: a workspace with one tenant file, the real server over it, its staff, and
/// inside `run` a signed-in caller per person (or per role) and a registered patient in one line each.
///
///     let clinic = try await ClinicScenario(features: ["patients", "treatments"], domain: "dental")
///     try await clinic.run { desk in
///         let dentist = try await desk.signIn("clinician@example.com")
///         let patient = try await desk.patient(as: dentist)
///     }
struct ClinicScenario {
    struct Person: Sendable {
        var email: String
        var name: String? = nil
        var role: Role
        var branches: [String] = []
    }

    /// One person per role below admin, named by role (`clinician@example.com`), and an admin.
    static let everyRole = [
        Person(email: "admin@example.com", role: .admin), Person(email: "manager@example.com", role: .manager),
        Person(email: "clinician@example.com", name: "Dr Amina Njoroge", role: .clinician), Person(email: "staff@example.com", role: .staff),
    ]

    let workspace: TestWorkspace
    let server: ClinicBoxServer
    let tenant: String
    let people: [Person]

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
            try await server.addUser(
                person.email,
                name: person.name,
                role: person.role,
                branches: person.branches,
                password: TestUsers.password,
                to: [tenant]
            )
        }
        self.tenant = tenant
        self.people = people
    }

    /// A scenario over a suite's own setup (`VisitsAPITests.server`): the server it makes, signing in at `tenant`.
    init(tenant: String, _ setUp: (TestWorkspace) async throws -> ClinicBoxServer) async throws {
        workspace = try TestWorkspace()
        server = try await setUp(workspace)
        self.tenant = tenant
        people = []
    }

    /// Runs `body` against the real router (`.live`: over a real socket on loopback, when the client's address matters).
    func run(_ setup: TestingSetup = .router, _ body: @escaping @Sendable (Session) async throws -> Void) async throws {
        let (tenant, people) = (self.tenant, self.people)
        try await server.application.test(setup) { client in try await body(Session(client: client, tenant: tenant, people: people)) }
    }

    /// One test's connection to the server.
    struct Session: Sendable {
        let client: any TestClientProtocol
        let tenant: String
        let people: [Person]

        func signIn(_ email: String) async throws -> APIClient {
            try await APIClient.signIn(client, tenant: tenant, email: email)
        }

        /// Signs in as the scenario's person with `role` (`ClinicScenario.everyRole`: one each).
        func signIn(as role: Role) async throws -> APIClient {
            guard let person = people.first(where: { $0.role == role }) else { throw ScenarioError.nobody(role) }
            return try await signIn(person.email)
        }

        /// Registers a patient (Ada Lovelace unless `fields` say otherwise) and answers their id.
        func patient(as caller: APIClient, _ fields: [String: Any] = TestRecords.ada) async throws -> Int {
            guard let id = try await caller.create("patients", fields)["id"] as? Int else { throw ScenarioError.noID }
            return id
        }
    }

    enum ScenarioError: Error {
        case noID
        case nobody(Role)
    }
}
