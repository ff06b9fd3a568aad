import Hummingbird

/// `/api/v1/auth/…`: exchanging a password for a bearer token, and managing tokens and API keys.
package struct AuthAPI {
    package let throttle: LoginThrottle

    package var publicEndpoints: [Endpoint<TenantRequestContext>] {
        [
            Endpoint(
                Self.tokenExchange(
                    "api/v1/auth/token",
                    "Exchange email and password (and a sign-in code, with two-factor sign-in) for a bearer token",
                    request: "SignIn"
                ),
                use: issueToken
            )
        ]
    }

    /// A password exchanged for a bearer token, open to anyone (the tenant's and the system administrators').
    static func tokenExchange(_ path: String, _ summary: String, request: String = "Credentials") -> APIOperation {
        APIOperation.post(path, summary, request: .ref(request), status: 200, response: .json(.ref("Token")), idempotent: false).open
    }

    /// Any signed-in user has tokens of their own; who sees or revokes others' is decided in the handlers.
    package var endpoints: [Endpoint<AuthenticatedContext>] {
        [
            Endpoint(
                .get("api/v1/auth/tokens", "Your tokens and API keys (admins: everyone's)", response: .json(.array(.freeForm))).allowing(
                    "signed in: own; admins: all"
                ),
                use: listTokens
            ),
            Endpoint(.delete("api/v1/auth/tokens/{id}", "Revoke a token or API key").allowing("signed in: own; admins: all"), use: revokeToken),
            Endpoint(
                .post(
                    "api/v1/auth/api-keys",
                    "Create a named API key for an integration, optionally limited to some actions, addresses and days",
                    action: Permissions.manageAPIKeys,
                    request: .object(
                        [
                            "name": .string(maxLength: 100), "actions": .array(.string(maxLength: 100)),
                            "allowed_addresses": .array(.string(maxLength: 50)), "valid_until": .optionalDate,
                        ],
                        required: ["name"]
                    ),
                    response: .json(.ref("APIKey")),
                    idempotent: false
                ),
                use: createAPIKey
            ),
        ]
    }

    private func issueToken(_ request: Request, _ context: TenantRequestContext) async throws -> Response {
        let credentials = try await Credentials.read(request, allowingCode: true)
        let authenticator = Authenticator(storage: context.storage, throttle: throttle)
        let outcome = try await authenticator.login(
            email: credentials.email,
            password: credentials.password,
            code: credentials.code,
            actor: context.anonymousActor
        )
        switch outcome {
        case .success(let user):
            if context.tenant.definition.security.mustSetUpTwoFactor(user) { throw Problem.twoFactorRequired(user.role) }
            let database = try await context.storage.database()
            let issued = try await AccessTokens(database: database).issue(
                for: user,
                kind: .token,
                by: context.anonymousActor.acting(as: user)
            )
            return .json(TokenAnswer(token: issued.token, expiresAt: issued.expiresAt))
        case .needsSecondFactor:
            throw Problem(
                .unauthorized,
                title: "A sign-in code is needed",
                detail: "This account signs in with a code from its authenticator app: send it as code.",
                fieldErrors: ["code": "write the six digits the authenticator app shows, or a recovery code"]
            )
        case .failure:
            await context.noteFailedSignIn(credentials.email, request)
            let detail =
                credentials.code == nil
                ? "The email or password is wrong, or the account is disabled."
                : "The email, password or sign-in code is wrong, or the account is disabled."
            throw Problem(.unauthorized, title: "Sign-in failed", detail: detail)
        case .throttled(let wait):
            throw Problem.tooManyAttempts(wait)
        }
    }

    package struct TokenAnswer: Encodable {
        package var token: String
        package var expiresAt: String?
    }

    private func listTokens(_: Request, _ context: AuthenticatedContext) async throws -> Response {
        let everyone = context.tenant.permissions.allows(context.user, Permissions.manageAllTokens)
        let tokens = try await AccessTokens(database: try await context.storage.database()).list(userID: everyone ? nil : context.user.id)
        return .json(tokens)
    }

    private func revokeToken(_: Request, _ context: AuthenticatedContext) async throws -> Response {
        guard let id = context.parameters.get("id", as: Int64.self) else {
            throw Problem(.notFound, title: "No such token", detail: "There is no token with that id.")
        }
        let everyone = context.tenant.permissions.allows(context.user, Permissions.manageAllTokens)
        let tokens = AccessTokens(database: try await context.storage.database())
        guard try await tokens.revoke(id, ownedBy: everyone ? nil : context.user.id, by: context.actor) else {
            throw Problem(.notFound, title: "No such token", detail: "There is no token with that id.")
        }
        return Response(status: .noContent)
    }

    private func createAPIKey(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        var fields = try await RequestFields.read(request, allowed: ["name", "actions", "allowed_addresses", "valid_until"])
        let name = fields.text("name", required: true, maxLength: 100)
        let actions = fields.texts("actions", maxCount: 200)
        let addresses = fields.texts("allowed_addresses", maxCount: 20, maxLength: 50)
        let validUntil = fields.date("valid_until")
        let (tenant, user) = (context.tenant, context.user)
        let (limits, errors) = APIKeyLimits.read(
            actions: actions,
            addresses: addresses?.joined(separator: " "),
            lastDay: validUntil?.description,
            today: CalendarDate.today(in: tenant.timeZone),
            mayDo: { tenant.permissions.allows(user, $0) }
        )
        for (field, message) in errors { fields.fail(field, message) }
        try fields.finish()
        let issued = try await AccessTokens(database: try await context.storage.database()).issue(
            for: context.user,
            kind: .apiKey,
            name: name,
            limits: limits,
            timeZone: tenant.timeZone,
            by: context.actor
        )
        let answer = APIKeyAnswer(
            id: issued.id,
            name: name ?? "",
            token: issued.token,
            actions: limits.actions,
            allowedAddresses: limits.addresses?.map(\.description),
            validUntil: limits.lastDay?.description
        )
        return .json(answer, status: .created)
    }

    package struct APIKeyAnswer: Encodable {
        package var id: Int64
        package var name: String
        package var token: String
        package var actions: [String]?
        package var allowedAddresses: [String]?
        package var validUntil: String?
    }
}

extension Problem {
    /// The tenant requires a second factor of `role` and this user has none yet.
    static func twoFactorRequired(_ role: Role) -> Problem {
        Problem(
            .forbidden,
            title: "Two-factor sign-in is required",
            detail:
                "This clinic requires two-factor sign-in for \(role.rawValue)s. Sign in on the pages and set it up (Home → Two-factor sign-in); then sign in here with a code."
        )
    }
}
