import Hummingbird

/// `/api/system/…`: a system administrator's password for a bearer token (`cbs_…`), their own tokens, and
/// every problem of every tenant file and database.
package struct SystemAPI {
    package let systemAdmins: SystemAdminsStore
    package let registry: LiveTenantRegistry
    package let databases: TenantDatabases

    /// System administrators are no tenant's users: each handler checks the `cbs_` token itself.
    package var endpoints: [Endpoint<AppRequestContext>] {
        [
            Endpoint(AuthAPI.tokenExchange("api/system/token", "A system administrator's bearer token"), use: issueToken),
            Endpoint(
                .get("api/system/tokens", "A system administrator's own unexpired tokens", response: .json(.array(.freeForm))).allowing(
                    "system administrators"
                ),
                use: listTokens
            ),
            Endpoint(
                .delete("api/system/tokens/{id}", "Revoke one of your system administrator tokens").allowing("system administrators"),
                use: revokeToken
            ),
            Endpoint(
                .get(
                    "api/system/problems",
                    "Every problem of every tenant file and database, as clinicbox check prints them (system administrators)",
                    response: .json(.freeForm)
                ).allowing("system administrators"),
                use: problems
            ),
            Endpoint(
                .get(
                    "api/system/security-events",
                    "Credentials and sign-in emails of one tenant tried at another, newest first (system administrators)",
                    response: .json(.freeForm)
                ).allowing("system administrators"),
                use: securityEvents
            ),
        ]
    }

    private func issueToken(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let credentials = try await Credentials.read(request)
        let admins = try systemAdmins.admins()
        let actor = Self.actor(context)
        switch try await admins.signIn(email: credentials.email, password: credentials.password, actor: actor) {
        case .success(let admin):
            let issued = try await admins.issueToken(
                for: admin,
                actor: AuditActor(userID: admin.id, email: admin.email, clientAddress: actor.clientAddress)
            )
            return .json(AuthAPI.TokenAnswer(token: issued.token, expiresAt: issued.expiresAt))
        case .failure, .needsSecondFactor:  // system administrators have no second factor (yet)
            throw Problem(.unauthorized, title: "Sign-in failed", detail: "The email or password is wrong, or the account is disabled.")
        case .throttled(let wait):
            throw Problem.tooManyAttempts(wait)
        }
    }

    private func problems(_ request: Request, _: AppRequestContext) async throws -> Response {
        _ = try await signedIn(request)
        return Response.json(ServerProblems(registry: registry.current, databases: databases))
    }

    private func securityEvents(_ request: Request, _: AppRequestContext) async throws -> Response {
        let admin = try await signedIn(request)
        let limit = request.uri.queryParameters.get("limit", as: Int.self) ?? 100
        guard (1...10_000).contains(limit) else {
            throw Problem(.badRequest, title: "Bad limit", detail: "limit must be a whole number from 1 to 10000.")
        }
        return .json(["events": try SecurityEvents.recent(limit, in: admin.admins.pool)])
    }

    private func listTokens(_ request: Request, _: AppRequestContext) async throws -> Response {
        let admin = try await signedIn(request)
        return .json(try await admin.admins.tokens(of: admin.holder.id))
    }

    private func revokeToken(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let admin = try await signedIn(request)
        var actor = Self.actor(context)
        (actor.userID, actor.email) = (admin.holder.id, admin.holder.email)
        guard let id = context.parameters.get("id", as: Int64.self), try await admin.admins.revokeToken(id, of: admin.holder, actor: actor) else {
            throw Problem(.notFound, title: "No such token", detail: "You hold no token with that id.")
        }
        return Response(status: .noContent)
    }

    /// The administrator behind the request's token, with the store it came from.
    private func signedIn(_ request: Request) async throws -> (admins: SystemAdmins, holder: SystemAdmins.Holder) {
        guard let holder = try await systemAdmins.holder(of: request) else {
            throw Problem(
                .unauthorized,
                title: "Administrators only",
                detail: "Send the Authorization: Bearer token of a system administrator (POST /api/system/token).",
                headers: [.wwwAuthenticate: "Bearer"]
            )
        }
        return (try systemAdmins.admins(), holder)
    }

    private static func actor(_ context: AppRequestContext) -> AuditActor {
        AuditActor(clientAddress: context.client.address, requestID: context.logger[metadataKey: "hb.request.id"]?.description)
    }
}

extension SystemAdminsStore {
    /// The system administrator behind the request's bearer token, or nil (no token, a tenant's token, or an invalid one).
    package func holder(of request: Request) async throws -> SystemAdmins.Holder? {
        guard let token = request.bearerToken, token.hasPrefix(SystemAdmins.tokenPrefix) else { return nil }
        return try await admins().authenticate(token)
    }
}

extension Problem {
    /// `429` with `Retry-After`, for throttled sign-ins.
    package static func tooManyAttempts(_ wait: Duration) -> Problem {
        let seconds = wait.retryAfterSeconds
        return Problem(
            .tooManyRequests,
            title: "Too many attempts",
            detail: "Too many failed sign-ins; try again in \(seconds) seconds.",
            headers: [.retryAfter: String(seconds)]
        )
    }
}
