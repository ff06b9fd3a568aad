import Hummingbird

/// The context of a route that needs a signed-in user of the resolved tenant; it cannot exist without one.
public struct AuthenticatedContext: ChildRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let tenant: Tenant
    public let storage: TenantStorage
    public let user: AuthenticatedUser
    public let clientAddress: String

    public init(context: TenantRequestContext) throws {
        guard let user = context.user else {
            throw Problem(
                .unauthorized,
                title: "Sign-in required",
                detail: "Send an Authorization: Bearer token from POST /api/v1/auth/token.",
                headers: [.wwwAuthenticate: "Bearer"]
            )
        }
        coreContext = context.coreContext
        tenant = context.tenant
        storage = context.storage
        self.user = user
        clientAddress = context.clientAddress
    }

    /// The audit actor for this request.
    public var actor: AuditActor {
        AuditActor(clientAddress: clientAddress, requestID: logger[metadataKey: "hb.request.id"]?.description).acting(as: user)
    }

    /// Refuses (403, audited) unless the user's role allows `action`.
    package func require(_ action: PermissionAction) async throws { try await require(action.name) }

    /// True when the user's role may do `action`, for a handler that shows less rather than refusing.
    package func allows(_ action: PermissionAction) -> Bool { tenant.permissions.allows(user, action) }

    /// Refuses (403, audited) unless the user's role allows `action`.
    public func require(_ action: String) async throws {
        guard !tenant.permissions.allows(user, action) else { return }
        let database = try await storage.database()
        try await database.write { [actor] db in
            try AuditLog.record(db, actor: actor, action: "auth.denied", entityType: "permission", entityID: action)
        }
        if let scope = user.scope, !scope.contains(action) {
            throw Problem(
                .forbidden,
                title: "Not allowed for this API key",
                detail: "This API key may not \(tenant.permissions.doing(action) ?? action) (the action \(action) is not among its actions: "
                    + "\(scope.sorted().joined(separator: ", "))). An admin can make a key that may."
            )
        }
        throw Problem(
            .forbidden,
            title: "Not allowed",
            detail: tenant.permissions.refusal(action) + " (The action is \(action); your role is \(user.role.rawValue).)"
        )
    }
}

/// Reads `Authorization: Bearer …` and looks the token up in the resolved tenant's own database.
package struct BearerAuthentication: RouterMiddleware {
    package typealias Context = TenantRequestContext

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else { return try await next(request, context) }
        guard header.hasPrefix("Bearer ") else {
            throw Problem(
                .unauthorized,
                title: "Unsupported credentials",
                detail: "Use Authorization: Bearer <token>.",
                headers: [.wwwAuthenticate: "Bearer"]
            )
        }
        let database = try await context.storage.existingDatabase()
        guard let token = request.bearerToken, let database, let user = try await AccessTokens(database: database).authenticate(token) else {
            if let token = request.bearerToken { await context.noteRefused(token, .token, request) }
            throw Problem(
                .unauthorized,
                title: "Invalid token",
                detail: "The token is unknown to this tenant, expired or revoked.",
                headers: [.wwwAuthenticate: "Bearer error=\"invalid_token\""]
            )
        }
        if context.tenant.definition.security.mustSetUpTwoFactor(user) { throw Problem.twoFactorRequired(user.role) }
        if let ranges = user.allowedAddresses, !ranges.contains(where: { $0.contains(context.clientAddress) }) {
            try await database.write { [actor = context.anonymousActor.acting(as: user)] db in
                try AuditLog.record(
                    db,
                    actor: actor,
                    action: "auth.key_address_refused",
                    entityType: "access_token",
                    entityID: user.tokenID.map(String.init)
                )
            }
            throw Problem(
                .forbidden,
                title: "Not from this address",
                detail:
                    "This API key may be used only from \(ranges.map(\.description).joined(separator: ", ")); this request came from \(context.clientAddress)."
            )
        }
        var context = context
        context.user = user
        return try await next(request, context)
    }
}
