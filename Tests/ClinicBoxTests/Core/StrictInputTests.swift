import ClinicBox
import ClinicBoxCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The API reads only what it documents: JSON bodies as `application/json` and exactly RFC 8259, list parameters
/// of the right kind and length, each once.
@Suite struct StrictInputTests {
    static func post(
        _ client: some TestClientProtocol,
        _ path: String,
        _ body: String,
        contentType: String?,
        token: String? = nil
    ) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let contentType { headers[.contentType] = contentType }
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    @Test func theAPIReadsOnlyApplicationJSON() async throws {
        let scenario = try await ClinicScenario(tenant: "") { try await TestUsers.server($0) }
        try await scenario.run { session in
            let credentials = #"{"email": "boss@example.com", "password": "\#(TestUsers.password)"}"#
            // What a browser form on another site can send without a preflight: refused before anything is read.
            for contentType in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", nil] {
                let refused = try await Self.post(session.client, "/t/alpha/api/v1/auth/token", credentials, contentType: contentType)
                #expect(refused.status == .unsupportedMediaType, "\(contentType ?? "none")")
                #expect(refused.headers[.contentType] == "application/problem+json")
                #expect((refused.json["detail"] as? String)?.hasPrefix("Send the body as JSON with Content-Type: application/json") == true)
            }
            let token = try #require(
                try await Self.post(session.client, "/t/alpha/api/v1/auth/token", credentials, contentType: "Application/JSON; charset=utf-8").json[
                    "token"
                ]
                    as? String
            )
            let patient = try await Self.post(
                session.client,
                "/t/alpha/api/v1/patients",
                #"{"first_name": "Ada", "last_name": "Lovelace"}"#,
                contentType: "text/plain",
                token: token
            )
            #expect(patient.status == .unsupportedMediaType)
        }
    }

    @Test func duplicateKeysAndTrailingCommasAreRefused() async throws {
        let scenario = try await ClinicScenario(tenant: "") { try await TestUsers.server($0) }
        try await scenario.run { session in
            let twoEmails = #"{"email": "desk@example.com", "email": "boss@example.com", "password": "\#(TestUsers.password)"}"#
            let duplicate = try await Self.post(session.client, "/t/alpha/api/v1/auth/token", twoEmails, contentType: "application/json")
            #expect(duplicate.status == .badRequest && duplicate.json["title"] as? String == "Invalid JSON")
            #expect(
                duplicate.json["detail"] as? String
                    == #"The body is not valid JSON: the key "email" appears twice in one object (line 1, column 31)."#
            )
            for body in [
                #"{"email": "boss@example.com", "password": "x",}"#, #"{"email": ["a",], "password": "x"}"#, #"{"email": "a" /* c */}"#,
                #"{"n": 01}"#, #"{"n": NaN}"#, "{\"t\": \"a\u{01}b\"}", #"{"t": "\ud800"}"#, #"{"a": 1} x"#,
            ] {
                let refused = try await Self.post(session.client, "/t/alpha/api/v1/auth/token", body, contentType: "application/json")
                #expect(refused.status == .badRequest, "\(body)")
            }
            let escaped = #"{"email": "boss@example.com", "password": "\#(TestUsers.password.replacingOccurrences(of: " ", with: "\\u0020"))"}"#
            #expect(try await Self.post(session.client, "/t/alpha/api/v1/auth/token", escaped, contentType: "application/json").status == .ok)
        }
    }

    @Test func aLongSearchIsA400NamingTheParameterOnTheAPIAndThePages() async throws {
        let workspace = try TestWorkspace()
        try workspace.write("pharm", PharmacyFixture.yaml(features: ["patients", "inventory", "sales", "prescriptions"]))
        let server = try await workspace.server()
        try await server.addUser("boss@example.com", role: .admin, password: TestUsers.password, to: ["pharm"])
        try await server.application.test(.router) { client in
            let boss = try await APIClient.signIn(client, tenant: "pharm", email: "boss@example.com")
            let long = String(repeating: "a", count: 50_000)
            for path in ["patients?q=\(long)", "inventory/products?q=\(long)"] {
                let refused = try await boss.get(path)
                #expect(refused.status == .badRequest && refused.fieldErrors["q"] == "must be at most 200 characters", "\(path.prefix(20))")
            }
            #expect(try await boss.get("patients?q=\(String(repeating: "a", count: 200))").status == .ok)
            var browser = WebBrowser(client)
            try await browser.signIn(tenant: "pharm", email: "boss@example.com", password: TestUsers.password)
            for page in ["patients", "inventory", "prescriptions"] {
                let refused = try await browser.get("/t/pharm/\(page)?q=\(long)")
                #expect(refused.status == .badRequest && refused.headers[.contentType] == "text/html; charset=utf-8", "\(page)")
                #expect(refused.text.contains("Parameter too long"))
            }
        }
    }

    @Test func listFiltersAreCheckedTheSameWayInEveryModule() async throws {
        let workspace = try TestWorkspace()
        try workspace.write("pharm", PharmacyFixture.yaml(features: ["patients", "appointments", "inventory", "sales", "prescriptions"]))
        let server = try await workspace.server()
        try await server.addUser("boss@example.com", role: .admin, password: TestUsers.password, to: ["pharm"])
        try await server.application.test(.router) { client in
            let boss = try await APIClient.signIn(client, tenant: "pharm", email: "boss@example.com")
            let cases: [(String, String, String)] = [
                ("prescriptions?patient_id=abc", "patient_id", "must be a record id (a whole number from 1)"),
                ("prescriptions?status=lost", "status", "must be one of pending, partially_dispensed, dispensed, cancelled"),
                ("patients?active=junk", "active", "must be true or false"),
                ("appointments?status=", "status", "must be one of scheduled, checked_in, completed, cancelled, no_show"),
                ("appointments?branch=mars", "branch", "must be one of this clinic's branches: main, north"),
                ("sales?branch=mars", "branch", "must be one of this clinic's branches: main, north"),
                ("sales?date=yesterday", "date", "must be a date written YYYY-MM-DD"),
                ("inventory/batches?in_stock=yes", "in_stock", "must be true or false"),
                ("inventory/controlled-register?product_id=-1", "product_id", "must be a record id (a whole number from 1)"),
                ("patients?q=a&q=b", "q", "must be given once"),
                (
                    "patients?qq=a", "qq",
                    "is not a parameter of this list (did you mean 'q'?); it takes active, cursor, date_of_birth, limit, q, sort"
                ),
            ]
            for (path, field, message) in cases {
                let refused = try await boss.get(path)
                #expect(refused.status == .badRequest && refused.json["title"] as? String == "Invalid list parameters", "\(path)")
                #expect(refused.fieldErrors[field] == message, "\(path): \(refused.text)")
            }
            #expect(try await boss.get("prescriptions?status=pending&patient_id=1").status == .ok)
            #expect(try await boss.get("appointments?branch=north&status=scheduled").status == .ok)
        }
    }

    /// The OpenAPI document and the server read list parameters from the same declaration: every sort order and
    /// choice it lists is taken, and a number one past either end of its declared range is refused, naming it.
    @Test func everyListParameterIsTakenExactlyAsDocumented() async throws {
        let workspace = try TestWorkspace()
        try workspace.write(
            "pharm",
            PharmacyFixture.yaml(features: ["patients", "appointments", "inventory", "sales", "prescriptions", "reports", "billing"])
        )
        try workspace.writeTenant("smile", domain: "dental", features: ["patients", "treatments", "visits"])
        let server = try await workspace.server()
        try await server.addUser("boss@example.com", role: .admin, password: TestUsers.password, to: ["pharm", "smile"])
        try await server.application.test(.router) { client in
            let (pharmacy, dental) = (
                try await APIClient.signIn(client, tenant: "pharm", email: "boss@example.com"),
                try await APIClient.signIn(client, tenant: "smile", email: "boss@example.com")
            )
            let paths = try #require(try await TestRecords.openAPIDocument(client)["paths"] as? [String: [String: Any]])
            var checked = 0
            for (path, methods) in paths where path.hasPrefix("/api/v1/") && !path.contains("{") {
                guard let parameters = (methods["get"] as? [String: Any])?["parameters"] as? [[String: Any]] else { continue }
                let list = String(path.dropFirst("/api/v1/".count))
                let boss = try await pharmacy.get(list).status == .forbidden ? dental : pharmacy
                for parameter in parameters {
                    let (name, schema) = (parameter["name"] as! String, parameter["schema"] as! [String: Any])
                    for value in (schema["enum"] as? [String]) ?? [] {
                        let answer = try await boss.get("\(list)?\(name)=\(value)")
                        #expect(answer.status == .ok, "\(list)?\(name)=\(value): \(answer.text)")
                        checked += 1
                    }
                    for bound in [(schema["minimum"] as? Int).map { $0 - 1 }, (schema["maximum"] as? Int).map { $0 + 1 }].compactMap({ $0 }) {
                        let refused = try await boss.get("\(list)?\(name)=\(bound)")
                        #expect(refused.status == .badRequest && refused.fieldErrors[name] != nil, "\(list)?\(name)=\(bound): \(refused.text)")
                        checked += 1
                    }
                }
            }
            #expect(checked > 40)
        }
    }

    @Test func aMethodAPathDoesNotHaveIs405WithAllow() async throws {
        let scenario = try await ClinicScenario(tenant: "") { try await TestUsers.server($0) }
        try await scenario.run { session in
            let token = try await TestUsers.token(session.client, email: "boss@example.com")
            let put = try await session.client.execute(uri: "/t/alpha/api/v1/patients", method: .put, headers: TestUsers.bearer(token))
            #expect(put.status == .methodNotAllowed && put.headers[.allow] == "GET, POST")
            #expect(put.headers[.contentType] == "application/problem+json")
            let delete = try await session.client.execute(uri: "/healthz", method: .delete)
            #expect(delete.status == .methodNotAllowed && delete.headers[.allow] == "GET")
            #expect(
                try await session.client.execute(uri: "/t/alpha/api/v1/nothing-here", method: .get, headers: TestUsers.bearer(token)).status
                    == .notFound
            )
        }
    }

    /// Strangers learn nothing about which modules a clinic runs.
    @Test func withoutCredentialsADisabledModuleIs401AndForASignedInUser403() async throws {
        let scenario = try await ClinicScenario(tenant: "") { try await TestUsers.server($0) }
        try await scenario.run { session in
            let stranger = try await session.client.execute(uri: "/t/alpha/api/v1/sales", method: .get)
            #expect(stranger.status == .unauthorized)
            let page = try await session.client.execute(uri: "/t/alpha/sales", method: .get)
            #expect(page.status == .seeOther && page.headers[.location]?.hasPrefix("/t/alpha/login") == true)
            let token = try await TestUsers.token(session.client, email: "boss@example.com")
            let known = try await session.client.execute(uri: "/t/alpha/api/v1/sales", method: .get, headers: TestUsers.bearer(token))
            #expect(known.status == .forbidden && known.json["title"] as? String == "Feature not enabled")
        }
    }
}
