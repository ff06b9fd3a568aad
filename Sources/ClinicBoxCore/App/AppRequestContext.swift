import HTTPTypes
import Hummingbird
import NIOCore

/// The context of every request. Tenant-scoped routes receive a `TenantRequestContext` built from it.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `TenantMiddleware` once the request is resolved to exactly one tenant.
    package var tenant: Tenant?
    package var storage: TenantStorage?
    /// `/t/{id}` when the tenant came from the path prefix, else empty: where this tenant's pages live.
    package var basePath = ""
    /// Notices another tenant's credentials presented here; set with the tenant.
    package var crossTenantWatch: CrossTenantWatch?
    /// The peer of the TCP connection (not any forwarded-for header).
    public let remoteAddress: SocketAddress?
    /// The client as `ClientConnectionMiddleware` worked it out (proxy headers only when trusted).
    public var client = ClientConnection(address: "unknown", viaHTTPS: false)
    /// For the request's log line.
    package let facts = RequestFacts()

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

}

/// The context of a tenant-scoped route: it cannot exist without a resolved tenant, so a handler that
/// takes one always knows its tenant and can only reach that tenant's database.
public struct TenantRequestContext: ChildRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let tenant: Tenant
    public let storage: TenantStorage
    /// The client's address, for the audit trail and login throttling, and whether it came over HTTPS.
    public let client: ClientConnection
    public var clientAddress: String { client.address }
    /// `/t/{id}` when the tenant came from the path prefix, else empty: links and cookies are scoped to it.
    public let basePath: String
    package let facts: RequestFacts
    /// Set by `BearerAuthentication` (API) or `SessionAuthentication` (pages).
    package var user: AuthenticatedUser? {
        didSet { facts.user = user?.id }
    }
    /// The page session, when the request carried a live session cookie.
    package var session: Sessions.Active?
    package let crossTenantWatch: CrossTenantWatch?

    public init(context: AppRequestContext) throws {
        guard let tenant = context.tenant, let storage = context.storage else {
            throw Problem(.internalServerError, title: "Internal error", detail: "This route was reached without a tenant.")
        }
        self.coreContext = context.coreContext
        self.tenant = tenant
        self.storage = storage
        self.client = context.client
        self.basePath = context.basePath
        self.facts = context.facts
        self.crossTenantWatch = context.crossTenantWatch
    }

    /// The audit actor for this request, before anyone signed in.
    package var anonymousActor: AuditActor {
        AuditActor(clientAddress: clientAddress, requestID: logger[metadataKey: "hb.request.id"]?.description)
    }
}

extension HTTPField.Name {
    package static let xTenantID = Self("X-Tenant-ID")!
    package static let host = Self("Host")!
}
