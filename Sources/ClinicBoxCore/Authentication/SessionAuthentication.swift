import HTTPTypes
import Hummingbird

/// Reads the session cookie (if any) and looks it up in the resolved tenant's own database.
/// A cookie that is unknown there — another tenant's, expired, ended — simply means "not signed in".
package struct SessionAuthentication: RouterMiddleware {
    package typealias Context = TenantRequestContext
    package static let cookieName = "cbx_session"

    package func handle(
        _ request: Request,
        context: TenantRequestContext,
        next: (Request, TenantRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let cookie = request.cookies[Self.cookieName]?.value, !cookie.isEmpty else { return try await next(request, context) }
        var context = context
        if let database = try await context.storage.existingDatabase(),
            let session = try await Sessions(database: database, security: context.tenant.definition.security).find(cookie)
        {
            context.session = session
            context.user = session.user
        } else {
            await context.noteRefused(cookie, .cookie, request)
        }
        return try await next(request, context)
    }
}

/// Refuses state-changing page requests that another site (sibling tenants included) could have sent:
/// the form's CSRF token must match the session's, and `Sec-Fetch-Site` / `Origin` must say same origin.
package enum CSRFCheck {
    package static func verify(_ request: Request, formToken: String?, expected: String?) throws {
        if let site = request.headers[.secFetchSite], site != "same-origin", site != "none" {
            throw forbidden("This form was sent from another site (\(site)).")
        }
        if let origin = request.headers[.origin], let host = request.head.authority, !origin.hasSuffix("://" + host) {
            throw forbidden("This form was sent from another origin.")
        }
        guard let expected, let formToken, formToken.equalsInConstantTime(expected) else {
            throw forbidden("The form's security token is missing or stale; reload the page and try again.")
        }
    }

    private static func forbidden(_ detail: String) -> Problem {
        Problem(.forbidden, title: "Form refused", detail: detail)
    }
}

extension HTTPField.Name {
    package static let secFetchSite = Self("Sec-Fetch-Site")!
}
