import Foundation
import Hummingbird

/// The OpenAPI 3.1 document of the whole HTTP API, made from the endpoint declarations the router registered
/// (the core's and each feature module's). Encoded once; served at `/api/v1/openapi.json`.
package enum OpenAPIDocument {
    package static let coreSchemas: [String: OpenAPISchema] = [
        "Problem": .object([
            "type": .text, "title": .text, "status": .integer(), "detail": .text, "request_id": .text,
            "errors": .freeForm,
        ]),
        "Credentials": .object(["email": .text, "password": .text], required: ["email", "password"]),
        "SignIn": .object(["email": .text, "password": .text, "code": .text], required: ["email", "password"]),
        "Token": .object(["token": .text, "expires_at": .optionalText]),
        "APIKey": .object([
            "id": .id, "name": .text, "token": .text, "actions": .array(.text), "allowed_addresses": .array(.text), "valid_until": .optionalDate,
        ]),
    ]

    /// Schema names declared by more than one of `declared`.
    package static func clashes(_ declared: [[String: OpenAPISchema]]) -> [String] {
        var seen: Set<String> = []
        return declared.flatMap(\.keys).filter { !seen.insert($0).inserted }.sorted()
    }

    package static func encode(_ operations: [APIOperation], catalog: FeatureCatalog) -> Data {
        var paths: [String: [String: Operation]] = [:]
        for operation in operations {
            let tag = operation.path.split(separator: "/").dropFirst(operation.path.hasPrefix("/api/v1/") ? 2 : 1).first.map(String.init) ?? "health"
            paths[operation.path, default: [:]][operation.method] = Operation(operation, tag: tag)
        }
        let declared = [coreSchemas] + catalog.modules.map(\.schemas)
        // One name, two meanings would silently describe one of them wrongly (a patient's problem list as the
        // problem+json of every error): a clash is a programming error, caught by the first test that starts a server.
        precondition(clashes(declared).isEmpty, "OpenAPI schemas declared twice: \(clashes(declared).joined(separator: ", "))")
        var schemas = declared.reduce(into: [:]) { $0.merge($1) { first, _ in first } }
        // Schemas that request bodies name are request schemas (`PatientInput`, `Credentials`, …).
        for case .ref(let name)? in operations.map(\.request) { schemas[name] = schemas[name]?.forRequest }
        let document = Document(paths: paths, components: .init(schemas: schemas))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try! encoder.encode(document)
    }

    private struct Document: Encodable {
        package var openapi = "3.1.0"
        package var info = [
            "title": "ClinicBox API", "version": "1",
            "description": """
            Every tenant-scoped path is served at the root (tenant from X-Tenant-ID, ?tenant= or the Host name) and under /t/{tenant}/. \
            Amounts are whole numbers in minor units of the tenant's currency. Errors are application/problem+json with field-level `errors`. \
            POST creates accept an Idempotency-Key header. Lists page with limit and cursor.
            """,
        ]
        package var paths: [String: [String: Operation]]
        package var components: Components
        package var security = [["bearer": [String]()]]

        package struct Components: Encodable {
            package var schemas: [String: OpenAPISchema]
            package var securitySchemes = ["bearer": ["type": "http", "scheme": "bearer"]]
        }
    }

    private struct Operation: Encodable {
        package var summary: String
        package var description: String?
        package var tags: [String]
        package var parameters: [Parameter]
        package var requestBody: RequestBody?
        package var responses: [String: Response]
        /// `[]` for the public operations; the others inherit the document's bearer requirement.
        package var security: [[String: [String]]]?

        package init(_ operation: APIOperation, tag: String) {
            summary = operation.summary
            description = operation.action.map { "Needs the permission `\($0.name)`." }
            tags = [tag]
            let pathNames = operation.path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
            parameters =
                pathNames.map { name -> Parameter in
                    let schema: OpenAPISchema =
                        name == "report"
                        ? .text
                        : name == "id" && operation.path.hasPrefix("/api/tenants/")
                            ? .string(description: TenantID.rule, maxLength: 63, pattern: "^[a-z][a-z0-9-]{1,62}$") : .id
                    return Parameter(name: name, in: "path", required: true, description: nil, schema: schema)
                }
                + operation.query.sorted { $0.key < $1.key }.map {
                    Parameter(
                        name: $0.key,
                        in: "query",
                        required: nil,
                        description: $0.value.1.isEmpty ? nil : $0.value.1,
                        schema: $0.value.0.asQueryParameter
                    )
                }
            security = operation.isPublic ? [] : nil
            if operation.idempotent, operation.method == "post" {
                parameters.append(
                    Parameter(
                        name: "Idempotency-Key",
                        in: "header",
                        required: nil,
                        description: "a retry with the same key answers the first result",
                        schema: .string(maxLength: 200, pattern: "^[!-~]+$")
                    )
                )
            }
            requestBody = operation.request.map { RequestBody(content: [operation.requestType: .init(schema: $0.forRequest)]) }
            var responses = ["default": Response(description: "a problem", content: ["application/problem+json": .init(schema: .ref("Problem"))])]
            let success: Response =
                switch operation.response {
                case .json(let schema): Response(description: "OK", content: ["application/json": .init(schema: schema)])
                case .csvOrJSON(let schema):
                    Response(description: "OK", content: ["application/json": .init(schema: schema), "text/csv": .init(schema: .text)])
                case .text(let type): Response(description: "OK", content: [type: .init(schema: .text)])
                case .file(let types):
                    Response(
                        description: "OK",
                        content: Dictionary(uniqueKeysWithValues: types.map { ($0, MediaType(schema: .string(format: "binary"))) })
                    )
                case .none: Response(description: "Done", content: nil)
                }
            responses[String(operation.status)] = success
            self.responses = responses
        }
    }

    private struct Parameter: Encodable {
        package var name: String
        package var `in`: String
        package var required: Bool?
        package var description: String?
        package var schema: OpenAPISchema
    }

    private struct RequestBody: Encodable {
        package var required = true
        package var content: [String: MediaType]
    }

    private struct Response: Encodable {
        package var description: String
        package var content: [String: MediaType]?
    }

    private struct MediaType: Encodable {
        package var schema: OpenAPISchema
    }
}
