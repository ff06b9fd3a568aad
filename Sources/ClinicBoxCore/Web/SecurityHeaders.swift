import HTTPTypes
import Hummingbird

/// Headers that make every answer safer in a browser, error pages included: no inline script or style can run
/// (the Content-Security-Policy allows only ClinicBox's own files), no other site may frame a page, the browser
/// must not guess content types, and other sites learn at most the origin a link came from.
package struct SecurityHeaders: RouterMiddleware {
    package typealias Context = AppRequestContext

    package static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    package func handle(
        _ request: Request,
        context: AppRequestContext,
        next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = try Problem(error, path: request.uri.path, logger: context.logger).response(from: request, context: context)
        }
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "strict-origin-when-cross-origin"
        response.headers[.xFrameOptions] = "DENY"
        if context.client.viaHTTPS { response.headers[.strictTransportSecurity] = "max-age=31536000" }
        return response
    }
}

extension HTTPField.Name {
    package static let xFrameOptions = Self("X-Frame-Options")!
    package static let referrerPolicy = Self("Referrer-Policy")!
}
