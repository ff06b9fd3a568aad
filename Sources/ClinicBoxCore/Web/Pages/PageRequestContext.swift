import Foundation
import Hummingbird

/// The context of a page that needs a signed-in user: it exists only when the request carried a live session
/// cookie of the resolved tenant (`RequireSignIn` sends everyone else to the sign-in page first).
public struct PageRequestContext: ChildRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let tenant: Tenant
    public let storage: TenantStorage
    public let client: ClientConnection
    public let basePath: String
    public let session: Sessions.Active

    public init(context: TenantRequestContext) throws {
        guard let session = context.session else {
            throw Problem(.unauthorized, title: "Sign-in required", detail: "Sign in to see this page.")
        }
        coreContext = context.coreContext
        tenant = context.tenant
        storage = context.storage
        client = context.client
        basePath = context.basePath
        self.session = session
    }

    public var user: AuthenticatedUser { session.user }

    package var actor: AuditActor {
        AuditActor(clientAddress: client.address, requestID: logger[metadataKey: "hb.request.id"]?.description).acting(as: user)
    }

    package func allows(_ action: String) -> Bool { tenant.permissions.allows(user, action) }
    package func allows(_ action: PermissionAction) -> Bool { allows(action.name) }

    /// The buttons the tenant's modules put on a patient's page for this user (Book, Prescribe), as `label`, `href`.
    package func patientActions(number: String) -> [[String: String]] {
        actions(\.actions, query: "patient=\(number)")
    }

    /// The buttons on a page of billable work for this user (*Bill this visit*), for the patient and its branch.
    package func workActions(patientNumber: String, branch: String) -> [[String: String]] {
        actions(\.workActions, query: "patient=\(patientNumber)&branch=\(branch)")
    }

    private func actions(_ kind: KeyPath<ChartContribution, [PatientAction]>, query: String) -> [[String: String]] {
        tenant.catalog.modules.filter { tenant.features.contains($0.id) }.flatMap { module in
            module.chart[keyPath: kind].filter { allows($0.action) }.map { action in
                ["label": action.label, "href": "\(basePath)/\(module.pagePath)\(action.path.isEmpty ? "" : "/" + action.path)?\(query)"]
            }
        }
    }

    /// The tenant's branches this user works in: what branch choices offer and lists cover.
    package var workBranches: [String] { user.workBranches(of: tenant.definition) }

    /// A branch choice's options, `code` the value and `name` what people read.
    package func branchOptions(_ codes: [String], selected: String?) -> [[String: Any]] {
        codes.map { ["code": $0, "name": tenant.branchName($0), "selected": $0 == selected] }
    }

    /// True when a form's `branch` is one of this tenant's branches and the user may act there.
    package func mayWork(in branch: String) -> Bool { user.mayWork(in: branch, of: tenant.definition) }

    package func require(_ action: PermissionAction) async throws { try await require(action.name) }

    /// Refuses (403 page, audited) unless the user's role allows `action`; pages hide what this refuses.
    package func require(_ action: String) async throws {
        guard !allows(action) else { return }
        let actor = self.actor
        try await storage.database().write { db in
            try AuditLog.record(db, actor: actor, action: "auth.denied", entityType: "permission", entityID: action)
        }
        throw Problem(.forbidden, title: "Not allowed", detail: tenant.permissions.refusal(action))
    }

    /// Checks the form's CSRF token against the session's (and that the form came from this origin).
    package func verifyForm(_ request: Request, token: String?) throws {
        try CSRFCheck.verify(request, formToken: token, expected: session.csrfToken)
    }

    /// The day a page shows: `?date=` (YYYY-MM-DD) or today in the tenant's time zone. A date that cannot be read
    /// is a `400` naming it, not silently today.
    package func day(_ request: Request) throws -> CalendarDate {
        guard let text = request.uri.queryParameters.get("date"), !text.isEmpty else { return .today(in: tenant.timeZone) }
        guard let date = CalendarDate(text) else {
            throw Problem(
                .badRequest,
                title: "Invalid date",
                detail: "'\(text)' is not a date; write it as YYYY-MM-DD.",
                fieldErrors: ["date": "must be a date written YYYY-MM-DD"]
            )
        }
        return date
    }

    /// A submitted form, once it is known to come from this session's page (CSRF) and the user may do `action`.
    package func submittedForm(_ request: Request, requiring action: PermissionAction) async throws -> FormBody {
        let body = try await submittedForm(request)
        try await require(action)
        return body
    }

    /// A submitted form, once it is known to come from this session's page (CSRF); for a handler whose endpoint
    /// has checked the action already.
    package func submittedForm(_ request: Request) async throws -> FormBody {
        let body = try await FormBody.read(request)
        try verifyForm(request, token: body["csrf_token"])
        return body
    }
}

/// Sends a request without a live session to `…/login?next=<where it wanted to go>`.
package struct RequireSignIn: RouterMiddleware {
    package typealias Context = TenantRequestContext

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let session = context.session {
            // Signed in with the password alone where the role needs a second factor: only its set-up page opens.
            let setUp = context.basePath + "/account/two-factor"
            guard context.tenant.definition.security.mustSetUpTwoFactor(session.user), !request.uri.path.hasPrefix(setUp) else {
                return try await next(request, context)
            }
            return Response(status: .seeOther, headers: [.location: setUp, .cacheControl: "no-store"])
        }
        let wanted = request.method == .get ? request.uri.path : context.basePath + "/"
        let query = wanted.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "/-_.~"))) ?? "/"
        return Response(status: .seeOther, headers: [.location: context.basePath + "/login?next=" + query, .cacheControl: "no-store"])
    }
}
