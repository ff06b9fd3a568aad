import Hummingbird

/// `POST /api/system/token`: a system administrator's password for a bearer token (`cbs_…`).
struct SystemRoutes {
    let systemAdmins: SystemAdminsStore

    func register(on router: Router<AppRequestContext>) {
        router.post("api/system/token") { request, context in try await issueToken(request, context) }
    }

    private func issueToken(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let body = try await JSONBody.read(request, context: context, allowed: ["email", "password"])
        let admins = try systemAdmins.admins()
        let actor = AuditActor(clientAddress: context.client.address, requestID: context.logger[metadataKey: "hb.request.id"]?.description)
        switch try await admins.signIn(email: try body.string("email"), password: try body.string("password"), actor: actor) {
        case .success(let admin):
            let issued = try await admins.issueToken(for: admin, actor: AuditActor(userID: admin.id, email: admin.email, clientAddress: actor.clientAddress))
            return .json(AuthRoutes.TokenAnswer(token: issued.token, expiresAt: issued.expiresAt))
        case .failure:
            throw Problem(.unauthorized, title: "Sign-in failed", detail: "The email or password is wrong, or the account is disabled.")
        case .throttled(let wait):
            throw Problem.tooManyAttempts(wait)
        }
    }
}

extension Problem {
    /// `429` with `Retry-After`, for throttled sign-ins.
    static func tooManyAttempts(_ wait: Duration) -> Problem {
        let seconds = max(1, Int(wait.components.seconds) + 1)
        return Problem(
            .tooManyRequests, title: "Too many attempts", detail: "Too many failed sign-ins; try again in \(seconds) seconds.",
            headers: [.retryAfter: String(seconds)]
        )
    }
}
