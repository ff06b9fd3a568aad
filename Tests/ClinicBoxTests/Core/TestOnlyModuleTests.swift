import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ClinicBox
@testable import ClinicBoxCore
@testable import Visits

extension PermissionAction {
    static let notesRead = PermissionAction("notes.read")
}

/// A module only this test has: if it shows up everywhere a module should, the contract holds (issue #15, item 2).
struct NotesModule: FeatureModule {
    let id = "notes"
    let domains: Set<TenantDomain> = [.clinic]
    let summary = "sticky notes (a module only the tests have)"
    let actions: [PermissionAction: Set<Role>] = [.notesRead: [.staff]]
    let dependencies = ["patients"]
    let migrations = [
        TenantSchema.Step(id: "notes.v1") { db, _ in
            try db.execute(
                sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL) STRICT; INSERT INTO notes (text) VALUES ('Ring the lab')"
            )
        }
    ]
    let schemas: [String: OpenAPISchema] = ["Notes": .object(["notes": .array(.text)])]
    let navigation: ModuleNavigation? = ModuleNavigation(label: "Notes", action: .notesRead)

    var endpoints: [Endpoint<AuthenticatedContext>] {
        [
            Endpoint(.get("", "Every note", action: .notesRead, response: .json(.ref("Notes")))) { _, context in
                let texts = try await context.storage.database().read { db in try String.fetchAll(db, sql: "SELECT text FROM notes") }
                return .json(["notes": texts])
            }
        ]
    }

    func pageEndpoints(_ pages: ModulePages) -> [Endpoint<PageRequestContext>] {
        [.page(.get, "", "list", action: .notesRead) { _, _ in pages.html("<p>the notes page</p>") }]
    }

    func dashboardCards(_ context: PageRequestContext) async throws -> [DashboardCard] {
        [DashboardCard(title: "Notes for the desk", kind: "notes", lines: [.init(text: "Ring the lab", record: nil)], empty: "No notes.")]
    }
}

/// A module whose page declares a template the assets do not have.
struct MisdrawnModule: FeatureModule {
    let id = "misdrawn"
    let domains: Set<TenantDomain> = [.clinic]
    let summary = "a page without its template"
    let actions: [PermissionAction: Set<Role>] = [.notesRead: [.staff]]
    let migrations: [TenantSchema.Step] = []
    let schemas: [String: OpenAPISchema] = [:]
    var endpoints: [Endpoint<AuthenticatedContext>] { [] }

    func pageEndpoints(_ pages: ModulePages) -> [Endpoint<PageRequestContext>] {
        [.page(.get, "", "list", action: .notesRead, template: "list") { _, _ in pages.html("") }]
    }
}

@Suite struct TestOnlyModuleTests {
    static let catalog = FeatureCatalog(modules: FeatureCatalog.standard.modules + [NotesModule()])

    /// Start-up refuses to serve a page whose declared template is missing, instead of failing its first request.
    @Test func aPageWithoutItsTemplateStopsStartUp() async throws {
        let workspace = try TestWorkspace()
        var configuration = workspace.configuration()
        configuration.catalog = FeatureCatalog(modules: FeatureCatalog.standard.modules + [MisdrawnModule()])
        let error = await #expect(throws: RouteList.MissingTemplates.self) { try await ClinicBoxServer.build(configuration) }
        #expect(
            error?.description
                == "page templates missing from the assets: GET /misdrawn (ClinicBoxTests/Core/TestOnlyModuleTests.swift) renders misdrawn/list"
        )
    }

    @Test func aModuleOfItsOwnAppearsEverywhereAModuleShould() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha", features: ["patients", "notes"])
        try workspace.writeTenant("beta", features: ["patients"])
        try workspace.write("gamma", TestTenant.yaml("gamma", domain: "pharmacy", features: ["notes"]))

        // Tenant files: known here, with its domain rule and its dependency; unknown to the shipped catalogue.
        let check = TenantCheck.run(tenantsFolder: workspace.tenants, assetsFolder: workspace.assets, catalog: Self.catalog)
        #expect(check.validTenants.map(\.rawValue) == ["alpha", "beta"])
        let problems = check.problems.map(\.description).joined(separator: "\n")
        #expect(
            problems.contains("features: 'notes' is not available for pharmacy tenants") && problems.contains("features: 'notes' needs 'patients'"),
            "\(problems)"
        )
        #expect(
            TenantCheck.run(tenantsFolder: workspace.tenants, assetsFolder: workspace.assets, catalog: .standard).problems.contains {
                $0.message.contains("unknown feature 'notes'")
            }
        )

        // Permissions, from this catalogue only.
        #expect(
            Self.catalog.permissions.allows(.staff, PermissionAction.notesRead.name, within: nil)
                && !Self.catalog.permissions.allows(.clinician, PermissionAction.notesRead.name, within: nil)
        )
        #expect(!FeatureCatalog.standard.permissions.allows(.admin, PermissionAction.notesRead.name, within: nil))

        let server = try await workspace.server { $0.catalog = Self.catalog }
        try await server.addUser("desk@example.com", role: .staff, password: TestUsers.password, to: ["alpha", "beta"])
        // Migrations: its table, with its row, in the tenant that has it.
        let steps = try await server.databases.database(for: TenantID("alpha")!).appliedSteps()
        #expect(steps.contains("notes.v1"))
        #expect(try await !server.databases.database(for: TenantID("beta")!).appliedSteps().contains("notes.v1"))

        try await server.application.test(.router) { client in
            let desk = try await APIClient.signIn(client, tenant: "alpha", email: "desk@example.com")
            let notes = try await desk.get("notes")
            #expect(notes.status == .ok && (notes.json["notes"] as? [String]) == ["Ring the lab"], "\(notes.text)")
            // Gated: a tenant without it answers 403 to its own signed-in users.
            let other = try await APIClient.signIn(client, tenant: "beta", email: "desk@example.com")
            #expect(try await other.get("notes").status == .forbidden)

            // The OpenAPI document.
            let document = try await TestRecords.openAPIDocument(client)
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            #expect(paths["/api/v1/notes"]?["get"] != nil)
            #expect(((document["components"] as? [String: Any])?["schemas"] as? [String: Any])?["Notes"] != nil)

            // Navigation, the dashboard and its page.
            var browser = WebBrowser(client)
            try await browser.signIn(tenant: "alpha", email: "desk@example.com", password: TestUsers.password)
            let dashboard = try await browser.get("/t/alpha/")
            #expect(
                dashboard.text.contains(#"href="/t/alpha/notes""#) && dashboard.text.contains("Notes for the desk")
                    && dashboard.text.contains("Ring the lab")
            )
            #expect(try await browser.get("/t/alpha/notes").text.contains("the notes page"))
            var elsewhere = WebBrowser(client)
            try await elsewhere.signIn(tenant: "beta", email: "desk@example.com", password: TestUsers.password)
            #expect(!(try await elsewhere.get("/t/beta/").text.contains("/t/beta/notes")))
            #expect(try await elsewhere.get("/t/beta/notes").status == .forbidden)
        }

        // The route table.
        #expect(server.routeTable.rows.contains(.init(method: "GET", path: "/api/v1/notes", action: "notes.read", module: "notes", kind: "api")))
        #expect(server.routeTable.rows.contains(.init(method: "GET", path: "/notes", action: "notes.read", module: "notes", kind: "page")))
    }
}
