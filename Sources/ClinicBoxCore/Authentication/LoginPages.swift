import Foundation
import HTTPTypes
import Hummingbird

/// `GET/POST /login` and `POST /logout` on every tenant, through any resolution method.
package struct LoginPages {
    package let throttle: LoginThrottle
    package let setupLinks: SetupLinks
    package let secureCookies: Bool
    package let pages: Pages
    package let pendingSignIns: PendingSignIns
    /// Double-submit cookie guarding the login form itself (there is no session yet to bind a token to).
    package static let loginCookie = "cbx_login"

    /// Before sign-in, so no permission: the login form (or, with a live session, where it would lead), signing
    /// in, and signing out.
    package var endpoints: [Endpoint<TenantRequestContext>] {
        [
            .page(.get, "login", "sign-in form", allowing: "anyone", template: "login", use: showForm),
            .page(.post, "login", "sign in", allowing: "anyone", use: signIn),
            .page(.get, "login/code", "sign-in code form", allowing: "anyone whose password was right", template: "login-code", use: showCodeForm),
            .page(.post, "login/code", "sign in with the code", allowing: "anyone whose password was right", use: signInWithCode),
            .page(.post, "logout", "sign out", allowing: "anyone", use: signOut),
        ]
    }

    /// The form, or where a signed-in user was going.
    package func showForm(_ request: Request, _ context: TenantRequestContext) async throws -> Response {
        if context.session != nil { return Pages.seeOther(destination(request.uri.queryParameters.get("next"), context)) }
        // A session cookie the browser still sends, of a session that ran out: say why the user has to sign in again.
        var ending: Sessions.Ending?
        if let cookie = request.cookies[SessionAuthentication.cookieName]?.value, !cookie.isEmpty,
            let database = try await context.storage.existingDatabase()
        {
            ending = try await Sessions(database: database, security: context.tenant.definition.security).ending(of: cookie)
        }
        return try await showLoginPage(context, next: request.uri.queryParameters.get("next"), notice: ending?.sentence)
    }

    private func showLoginPage(
        _ context: TenantRequestContext,
        email: String = "",
        next: String? = nil,
        error: String? = nil,
        notice: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let token = AccessTokens.randomSecret()
        var data: [String: Any?] = ["csrf": token, "email": email, "error": error, "next": next, "notice": notice]
        if try await setupLinks.awaitsAdmin(context.storage) {
            data["noAdmin"] = ["tenant": context.tenant.id.rawValue]
        }
        return pages.publicPage(
            context,
            "login",
            title: "Sign in",
            data: data.compactMapValues { $0 },
            status: status,
            headers: [.setCookie: cookie(Self.loginCookie, token, context, maxAge: 3600)]
        )
    }

    /// Where to go after signing in: the page that asked for it, if it is one of this tenant's own pages.
    private func destination(_ next: String?, _ context: TenantRequestContext) -> String {
        SignInDestination.resolve(next, basePath: context.basePath)
    }

    private func signIn(_ request: Request, _ context: TenantRequestContext) async throws -> Response {
        let form = try await FormBody.read(request)
        try CSRFCheck.verify(request, formToken: form["csrf_token"], expected: request.cookies[Self.loginCookie]?.value)
        let email = form["email"]?.trimmingSpaces ?? ""
        let authenticator = Authenticator(storage: context.storage, throttle: throttle)
        switch try await authenticator.login(email: email, password: form["password"] ?? "", actor: context.anonymousActor) {
        case .success(let user):
            return try await startSession(for: user, context, device: request.headers[.userAgent], goingTo: destination(form["next"], context))
        case .needsSecondFactor(let user):
            let token = pendingSignIns.start(tenant: context.tenant.id, user: user, next: form["next"])
            var response = Response(status: .seeOther, headers: [.location: context.basePath + "/login/code"])
            response.headers.append(
                HTTPField(
                    name: .setCookie,
                    value: cookie(PendingSignIns.cookie, token, context, maxAge: Int(PendingSignIns.lifetime.components.seconds))
                )
            )
            return response
        case .failure:
            await context.noteFailedSignIn(email, request)
            return try await showLoginPage(
                context,
                email: email,
                next: form["next"],
                error: "The email or password is wrong, or the account is disabled.",
                status: .unauthorized
            )
        case .throttled(let wait):
            let seconds = wait.retryAfterSeconds
            var page = try await showLoginPage(
                context,
                email: email,
                next: form["next"],
                error: "Too many failed sign-ins; try again in \(seconds) seconds.",
                status: .tooManyRequests
            )
            page.headers[.retryAfter] = String(seconds)
            return page
        }
    }

    /// The second step: the code from the authenticator app (or a recovery code), while the right password lasts.
    private func showCodeForm(_ request: Request, _ context: TenantRequestContext) async throws -> Response {
        guard pendingSignIns.find(request.cookies[PendingSignIns.cookie]?.value, tenant: context.tenant.id) != nil else {
            return Pages.seeOther(context.basePath + "/login")
        }
        return codePage(context)
    }

    private func codePage(_ context: TenantRequestContext, error: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let token = AccessTokens.randomSecret()
        var data: [String: Any] = ["csrf": token]
        if let error { data["error"] = error }
        return pages.publicPage(
            context,
            "login-code",
            title: "Sign-in code",
            data: data,
            status: status,
            headers: [.setCookie: cookie(Self.loginCookie, token, context, maxAge: 3600)]
        )
    }

    private func signInWithCode(_ request: Request, _ context: TenantRequestContext) async throws -> Response {
        let form = try await FormBody.read(request)
        try CSRFCheck.verify(request, formToken: form["csrf_token"], expected: request.cookies[Self.loginCookie]?.value)
        let token = request.cookies[PendingSignIns.cookie]?.value
        guard let pending = pendingSignIns.find(token, tenant: context.tenant.id) else {
            return try await showLoginPage(
                context,
                error: "The sign-in took more than five minutes; give your email and password again.",
                status: .unauthorized
            )
        }
        let code = form["code"]?.trimmingSpaces ?? ""
        guard !code.isEmpty else {
            return codePage(context, error: "Write the six digits your authenticator app shows, or a recovery code.", status: .unprocessableContent)
        }
        let authenticator = Authenticator(storage: context.storage, throttle: throttle)
        switch try await authenticator.secondFactor(code, for: pending.user, actor: context.anonymousActor) {
        case .success(let user):
            pendingSignIns.end(token)
            var response = try await startSession(
                for: user,
                context,
                device: request.headers[.userAgent],
                goingTo: destination(pending.next, context)
            )
            response.headers.append(HTTPField(name: .setCookie, value: cookie(PendingSignIns.cookie, "", context, maxAge: 0)))
            return response
        case .throttled(let wait):
            var page = codePage(context, error: "Too many wrong codes; try again in \(wait.retryAfterSeconds) seconds.", status: .tooManyRequests)
            page.headers[.retryAfter] = String(wait.retryAfterSeconds)
            return page
        case .failure, .needsSecondFactor:
            return codePage(
                context,
                error: "That code is wrong or was already used. Codes change every 30 seconds; each works once.",
                status: .unauthorized
            )
        }
    }

    /// Signed in: a session, its cookie, and the way on. A fresh session id at every sign-in: a cookie planted
    /// before login is never promoted.
    package func startSession(
        for user: AuthenticatedUser,
        _ context: TenantRequestContext,
        device: String?,
        goingTo location: String
    ) async throws -> Response {
        let database = try await context.storage.database()
        let security = context.tenant.definition.security
        let (value, _) = try await Sessions(database: database, security: security).start(
            for: user,
            actor: context.anonymousActor.acting(as: user),
            device: device
        )
        var response = Response(status: .seeOther, headers: [.location: location])
        response.headers.append(
            HTTPField(name: .setCookie, value: cookie(SessionAuthentication.cookieName, value, context, maxAge: Int(security.absoluteLimit)))
        )
        response.headers.append(HTTPField(name: .setCookie, value: cookie(Self.loginCookie, "", context, maxAge: 0)))
        return response
    }

    private func signOut(_ request: Request, _ context: TenantRequestContext) async throws -> Response {
        let form = try await FormBody.read(request)
        guard let session = context.session else {
            return Response(status: .seeOther, headers: [.location: context.basePath + "/login"])
        }
        try CSRFCheck.verify(request, formToken: form["csrf_token"], expected: session.csrfToken)
        try await Sessions(database: context.storage.database(), security: context.tenant.definition.security).end(
            session,
            actor: context.anonymousActor.acting(as: session.user)
        )
        return Response(
            status: .seeOther,
            headers: [.location: context.basePath + "/login", .setCookie: cookie(SessionAuthentication.cookieName, "", context, maxAge: 0)]
        )
    }

    /// Host-only (no Domain), so sibling subdomains never receive it; scoped to `/t/{id}` when the path chose the tenant.
    package func cookie(_ name: String, _ value: String, _ context: TenantRequestContext, maxAge: Int) -> String {
        let path = context.basePath.isEmpty ? "/" : context.basePath
        let secure = secureCookies || context.client.viaHTTPS
        return "\(name)=\(value); Path=\(path); Max-Age=\(maxAge); HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "")
    }
}
