import Foundation
import HTTPTypes
import Hummingbird

/// A request context that can refuse an action to the signed-in user (`403`, audited).
package protocol ActionChecking: RequestContext {
    func require(_ action: PermissionAction) async throws
}

/// One route, declared as data: the router registers it and checks its action before the handler runs, the
/// OpenAPI document describes it (unless it is a page), and `clinicbox routes` lists it. Nothing about a route
/// is written twice.
package struct Endpoint<Context: ActionChecking>: Sendable {
    package typealias Handler = @Sendable (Request, Context) async throws -> Response

    /// Method, path relative to where the endpoint is mounted (`""`, `{id}`, `{id}/dispense`), summary, the
    /// action checked first (nil when the handler decides itself), and for the API its schemas.
    package var operation: APIOperation
    /// False for pages, which the OpenAPI document leaves out.
    package var isDocumented = true
    /// For a page that shows one, the template it renders (in a module, `list` is the module's own); start-up
    /// refuses to run when it is missing.
    package var template: String?
    package var handler: Handler
    /// The source file that declares it (`Features/Patients/PatientsRoutes.swift`), for `clinicbox routes`.
    package var file: String

    package init(_ operation: APIOperation, file: String = #filePath, use handler: @escaping Handler) {
        self.operation = operation
        self.handler = handler
        let root = file.range(of: "/Sources/", options: .backwards) ?? file.range(of: "/Tests/", options: .backwards)
        self.file = root.map { String(file[$0.upperBound...]) } ?? file
    }

    /// A page: registered and listed like an API endpoint, not documented in OpenAPI.
    package static func page(
        _ method: HTTPRequest.Method,
        _ path: String,
        _ summary: String,
        action: PermissionAction?,
        template: String? = nil,
        file: String = #filePath,
        use handler: @escaping Handler
    ) -> Endpoint {
        var endpoint = Endpoint(
            APIOperation(method: method.rawValue.lowercased(), path: path, summary: summary, action: action),
            file: file,
            use: handler
        )
        endpoint.isDocumented = false
        endpoint.template = template
        return endpoint
    }

    /// A page that checks no action: `callers` says who it lets in (`anyone`, `signed in`).
    package static func page(
        _ method: HTTPRequest.Method,
        _ path: String,
        _ summary: String,
        allowing callers: String,
        template: String? = nil,
        file: String = #filePath,
        use handler: @escaping Handler
    ) -> Endpoint {
        page(method, path, summary, action: nil, template: template, file: file, use: handler).allowing(callers)
    }

    /// The same endpoint, saying who its handler lets in (it checks no action).
    package func allowing(_ callers: String) -> Endpoint {
        var endpoint = self
        endpoint.operation = operation.allowing(callers)
        return endpoint
    }

    package var method: HTTPRequest.Method { HTTPRequest.Method(operation.method.uppercased())! }
    package var action: PermissionAction? { operation.action }

    /// Registers the endpoint on `group` at its path (Hummingbird reads `{id}` as OpenAPI writes it), checking its
    /// action first. The handler runs with the endpoint's declared query parameters at hand
    /// (`ListQuery` takes exactly those), so they are written once.
    package func register(on group: RouterGroup<Context>) {
        let (action, handler, parameters) = (self.action, self.handler, operation.query.mapValues(\.0))
        let refusesConditions = isDocumented && ![.get, .head].contains(method)
        group.on(RouterPath(operation.path), method: method) { request, context -> Response in
            if refusesConditions { try Self.refuseConditions(request) }
            if let action { try await context.require(action) }
            return try await DeclaredQuery.$parameters.withValue(parameters) { try await handler(request, context) }
        }
    }

    /// The API's writes are guarded by the record's `version` in the body (a stale one is a 409), not by HTTP
    /// preconditions: a client that sends `If-Match` expects it to be checked, so it is refused rather than ignored.
    private static func refuseConditions(_ request: Request) throws {
        for field in [HTTPField.Name.ifMatch, .ifUnmodifiedSince, .ifNoneMatch] where request.headers[field] != nil {
            throw Problem(
                .badRequest,
                title: "Conditional request not supported",
                detail:
                    "This API does not evaluate \(field.rawName). Send the record's version in the body instead: a change to a version that is no longer current is refused with 409."
            )
        }
    }

    /// The same endpoint under `prefix` (`users` + `{id}/edit`, `/api/v1/patients` + `{id}`).
    package func mounted(at prefix: String) -> Endpoint {
        var endpoint = self
        endpoint.operation.path = [prefix, operation.path].filter { !$0.isEmpty }.joined(separator: "/")
        return endpoint
    }
}

extension AuthenticatedContext: ActionChecking {}
extension PageRequestContext: ActionChecking {}

/// Routes that come before sign-in never hold a user, so an action named on one is refused: fail closed.
extension AppRequestContext: ActionChecking {
    package func require(_ action: PermissionAction) async throws { throw Problem.signInFirst(action) }
}

extension TenantRequestContext: ActionChecking {
    package func require(_ action: PermissionAction) async throws { throw Problem.signInFirst(action) }
}

extension Problem {
    package static func signInFirst(_ action: PermissionAction) -> Problem {
        Problem(
            .unauthorized,
            title: "Sign in first",
            detail: "This needs the permission \(action.name); send a bearer token.",
            headers: [.wwwAuthenticate: "Bearer"]
        )
    }
}

/// The query parameters the endpoint being handled declares (its OpenAPI `query`), for `ListQuery`.
package enum DeclaredQuery {
    @TaskLocal package static var parameters: [String: OpenAPISchema] = [:]
}
