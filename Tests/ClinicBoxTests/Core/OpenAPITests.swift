import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ClinicBox
@testable import ClinicBoxCore
@testable import Patients
@testable import Sales

/// `/api/v1/openapi.json` describes exactly the routes the router serves, and real answers have the documented fields.
@Suite struct OpenAPITests {
    /// `GET /t/:tenantID/api/v1/patients/:id` → `get /api/v1/patients/{id}`; nil for pages, which are not API.
    static func documentedForm(_ route: String) -> String? {
        let parts = route.split(separator: " ", maxSplits: 1)
        var path = String(parts[1])
        for prefix in ["/t/:tenantID", "/t/{tenantID}"] where path.hasPrefix(prefix) { path = String(path.dropFirst(prefix.count)) }
        guard path.hasPrefix("/api/") || ["/healthz", "/readyz", "/metrics"].contains(path) else { return nil }
        let segments = path.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
        return parts[0].lowercased() + " /" + segments.joined(separator: "/")
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedOperationIsServed() async throws {
        let workspace = try TestWorkspace()
        let server = try await workspace.server()
        let served = Set(server.routes.compactMap(Self.documentedForm))
        #expect(served.contains("get /api/v1/patients/{id}"))
        try await server.application.test(.router) { client in
            let document = try await TestRecords.openAPIDocument(client)
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let documented = Set(paths.flatMap { path, methods in methods.keys.map { "\($0) \(path)" } })
            #expect(served.subtracting(documented).sorted() == [], "served but not documented")
            #expect(documented.subtracting(served).sorted() == [], "documented but not served")

            // Every $ref names a schema that exists.
            let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
            let text = String(decoding: try JSONSerialization.data(withJSONObject: document), as: UTF8.self)
            let refs = text.components(separatedBy: "#\\/components\\/schemas\\/").dropFirst().map { String($0.prefix { $0 != "\"" }) }
            #expect(!refs.isEmpty)
            #expect(Set(refs).subtracting(schemas.keys).sorted() == [])
        }
    }

    @Test func realAnswersHaveExactlyTheDocumentedFields() async throws {
        let scenario = try await ClinicScenario(tenant: "pharm") { try await PharmacyFixture.server($0) }
        try await scenario.run { session in
            let schemas = try #require(
                ((try await TestRecords.openAPIDocument(session.client))["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]]
            )
            func properties(_ name: String) -> Set<String> { Set((schemas[name]?["properties"] as? [String: Any] ?? [:]).keys) }
            let manager = try await session.signIn("manager@example.com")
            let patient = try await manager.create("patients", ["first_name": "Ada", "last_name": "Lovelace"])
            #expect(Set(patient.keys) == properties("Patient"))
            let (productID, batchID) = try await PharmacyFixture.stock(manager, sku: "ORS", quantity: 5)
            #expect(Set(try await manager.get("inventory/products/\(productID)").json.keys) == properties("Product"))
            #expect(Set(try await manager.get("inventory/batches/\(batchID)").json.keys) == properties("StockBatch").subtracting(["expired"]))
            let sale = try await manager.create("sales", PharmacyFixture.sale(productID, 1, payments: [["method": "cash", "amount": 500]]))
            #expect(Set(sale.keys) == properties("Sale"))
        }
    }

    /// The clinical record's answers match their schemas, and no module's schema takes a name the core uses: a
    /// patient's `Problem` once replaced the problem+json every error is documented with.
    @Test func clinicalAnswersHaveTheirDocumentedFieldsAndNoSchemaNameIsDeclaredTwice() async throws {
        #expect(OpenAPIDocument.clashes([OpenAPIDocument.coreSchemas] + FeatureCatalog.standard.modules.map(\.schemas)).isEmpty)
        let scenario = try await ClinicScenario(tenant: "clinic") { try await VisitsAPITests.server($0) }
        try await scenario.run { session in
            let schemas = try #require(
                ((try await TestRecords.openAPIDocument(session.client))["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]]
            )
            func properties(_ name: String) -> Set<String> { Set((schemas[name]?["properties"] as? [String: Any] ?? [:]).keys) }
            let doc = try await session.signIn("doc@example.com")
            let patient = try #require(try await doc.create("patients", TestRecords.ada)["id"] as? Int)
            #expect(Set(try await doc.create("patients/\(patient)/allergies", ["substance": "Latex"]).keys) == properties("Allergy"))
            #expect(Set(try await doc.get("patients/\(patient)/allergies").json.keys) == properties("Allergies"))
            #expect(Set(try await doc.create("patients/\(patient)/problems", ["description": "Asthma"]).keys) == properties("PatientProblem"))
            #expect(Set(try await doc.create("visits", ["patient_id": patient, "branch": "main"]).keys) == properties("Visit"))
            #expect(Set(try await doc.get("patients/\(patient)/chart").json.keys) == properties("Chart"))
            let missing = try await doc.get("patients/999/problems").json
            #expect(Set(missing.keys).isSubset(of: properties("Problem")) && missing["status"] as? Int == 404)
        }
    }

    /// The document says what the server enforces: who may call without a token, and the limits of each parameter.
    @Test func publicOperationsNeedNoTokenAndParametersCarryTheirConstraints() async throws {
        let workspace = try TestWorkspace()
        let server = try await workspace.server()
        try await server.application.test(.router) { client in
            let document = try await TestRecords.openAPIDocument(client)
            let paths = try #require(document["paths"] as? [String: [String: [String: Any]]])
            for (path, method) in [
                ("/healthz", "get"), ("/readyz", "get"), ("/api/v1/tenant", "get"), ("/api/v1/auth/token", "post"),
                ("/api/tenants/{id}/branding", "get"),
            ] {
                #expect((paths[path]?[method]?["security"] as? [Any])?.isEmpty == true, "\(method) \(path)")
            }
            #expect(paths["/api/v1/patients"]?["get"]?["security"] == nil)  // the document's bearer requirement
            let parameters = try #require(paths["/api/v1/patients"]?["get"]?["parameters"] as? [[String: Any]])
            func schema(_ name: String) -> [String: Any]? { parameters.first { $0["name"] as? String == name }?["schema"] as? [String: Any] }
            #expect(schema("q")?["maxLength"] as? Int == 200)
            #expect(schema("limit")?["minimum"] as? Int == 1 && schema("limit")?["maximum"] as? Int == 200)
            #expect((schema("sort")?["enum"] as? [String])?.contains("-name") == true)
            let prescriptions = try #require(paths["/api/v1/prescriptions"]?["get"]?["parameters"] as? [[String: Any]])
            let status = prescriptions.first { $0["name"] as? String == "status" }?["schema"] as? [String: Any]
            #expect(status?["enum"] as? [String] == ["pending", "partially_dispensed", "dispensed", "cancelled"])
            let patientID = prescriptions.first { $0["name"] as? String == "patient_id" }?["schema"] as? [String: Any]
            #expect(patientID?["minimum"] as? Int == 1)
        }
    }
}
