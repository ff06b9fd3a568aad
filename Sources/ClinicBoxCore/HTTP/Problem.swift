import Foundation
import Hummingbird

/// An error a person can read, answered as `application/problem+json` on API routes and as an HTML page elsewhere.
public struct Problem: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var title: String
    public var detail: String
    /// Field-level messages, e.g. `["date_of_birth": "must be a date in the past"]`.
    public var fieldErrors: [String: String]
    public var headers: HTTPFields
    /// The detail as a page shows it above a form, in words for the person at the desk, where `detail` speaks to
    /// an integrator (names an API field): nil when `detail` reads well on a page. Never sent by the API.
    public var pageDetail: String?

    public init(
        _ status: HTTPResponse.Status,
        title: String,
        detail: String,
        fieldErrors: [String: String] = [:],
        headers: HTTPFields = [:],
        pageDetail: String? = nil
    ) {
        self.status = status
        self.title = title
        self.detail = detail
        self.fieldErrors = fieldErrors
        self.headers = headers
        self.pageDetail = pageDetail
    }

    /// What a page shows of it: `pageDetail`, or `detail` where that reads well on a page.
    package var pageText: String { pageDetail ?? detail }

    /// `422 Invalid fields` with one field's message: "Check items[0].quantity."
    package static func invalid(_ field: String, _ message: String) -> Problem {
        Problem(.unprocessableContent, title: "Invalid fields", detail: "Check \(field).", fieldErrors: [field: message])
    }

    /// `409`: `entity` was changed since the request's `version` was read (`current` now); nothing was changed.
    package static func stale(_ entity: String, current: Int64, yours: Int64, then: String = "read it again and reapply your change") -> Problem {
        Problem(
            .conflict,
            title: "Changed by someone else",
            detail: "This \(entity) was changed since you read it (version \(current), yours \(yours)); \(then).",
            fieldErrors: ["version": "is stale; the current version is \(current)"]
        )
    }

    /// The `422` of several fields' messages, naming them.
    package static func invalid(_ errors: [String: String]) -> Problem {
        Problem(
            .unprocessableContent,
            title: "Invalid fields",
            detail: "Check these fields: \(errors.keys.sorted().joined(separator: ", ")).",
            fieldErrors: errors
        )
    }

    private struct Body: Encodable {
        package var type = "about:blank"
        package var title: String
        package var status: Int
        package var detail: String
        package var errors: [String: String]?
        package var requestId: String?
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let requestID = context.logger[metadataKey: "hb.request.id"]?.description
        var headers = self.headers
        headers[.cacheControl] = "no-store"
        if Self.wantsJSON(request) {
            headers[.contentType] = "application/problem+json"
            let body = Body(
                title: title,
                status: Int(status.code),
                detail: detail,
                errors: fieldErrors.isEmpty ? nil : fieldErrors,
                requestId: requestID
            )
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: JSON.encode(body))))
        }
        headers[.contentType] = "text/html; charset=utf-8"
        let page = ErrorPage(status: status, title: title, detail: pageText, requestID: requestID).html
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    /// API routes (also under `/t/{id}/`) and the machine endpoints answer JSON; every other route is a page.
    package static func wantsJSON(_ request: Request) -> Bool {
        var path = Substring(request.uri.path)
        if path.hasPrefix("/t/"), let slash = path.dropFirst(3).firstIndex(of: "/") { path = path[slash...] }
        return path.hasPrefix("/api/") || path == "/api" || path == "/healthz" || path == "/readyz" || path == "/metrics"
    }
}
