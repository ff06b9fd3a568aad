import Foundation
import GRDB
import Hummingbird
import Logging
import Synchronization

/// Notices a credential or sign-in email of one tenant tried at another: a bearer token or API key or a session
/// cookie (recognised by its `CredentialMarks` mark), a setup link (the server holds them all) or the email of a user who exists only at
/// another tenant. The request is refused exactly as before (a plain `401`, a sign-in page); in addition the attempt
/// is counted in `/metrics` (`clinicbox_cross_tenant_credentials_total{tenant}`, the tenant it was presented at),
/// logged once per source, pair of tenants and minute with both ids and never the secret, and kept in
/// `system.sqlite` for system administrators.
package final class CrossTenantWatch: Sendable {
    package enum Kind: String, Sendable {
        case token = "bearer token or API key"
        case cookie = "session cookie"
        case setupLink = "setup link"
        case email = "sign-in email"
    }

    private let dataFolder: String
    private let registry: LiveTenantRegistry
    private let metrics: ServerMetrics
    private let systemAdmins: SystemAdminsStore
    private let setupLinks: SetupLinks
    private let logger: Logger
    private let state = Mutex(State())

    private struct State {
        /// Digest of an email → the tenants that have a user with it; of the tenants whose database opened since start.
        var emailOwners: [Data: Set<TenantID>] = [:]
        var emailsOf: [TenantID: Set<Data>] = [:]
        /// "source kind owner tenant" → the minute it was last logged.
        var logged: [String: Int] = [:]
    }

    package init(
        dataFolder: String,
        registry: LiveTenantRegistry,
        metrics: ServerMetrics,
        systemAdmins: SystemAdminsStore,
        setupLinks: SetupLinks,
        logger: Logger
    ) {
        (self.dataFolder, self.registry, self.metrics, self.systemAdmins) = (dataFolder, registry, metrics, systemAdmins)
        (self.setupLinks, self.logger) = (setupLinks, logger)
    }

    /// `credential` was refused at `tenant`: if another tenant made it, that is an event.
    package func credentialRefused(_ credential: String, _ kind: Kind, at tenant: TenantID, from source: String, path: String) async {
        let owner =
            kind == .setupLink
            ? setupLinks.tenant(holding: credential)
            : CredentialMarks.of(dataFolder: dataFolder, making: false)?.owner(of: credential, among: registry.current.tenants.keys)
        guard let owner, owner != tenant else { return }
        await seen(kind, of: owner, at: tenant, from: source, path: path)
    }

    /// A sign-in at `tenant` failed for `email`: if no user of this tenant has it and a user of another does, that is
    /// an event.
    package func signInFailed(email: String, at tenant: TenantID, from source: String, path: String) async {
        guard let digest = CredentialMarks.of(dataFolder: dataFolder, making: false)?.digest(email: email) else { return }
        let owners = state.withLock { $0.emailOwners[digest] ?? [] }
        guard !owners.contains(tenant), let owner = owners.min(by: { $0.rawValue < $1.rawValue }) else { return }
        await seen(.email, of: owner, at: tenant, from: source, path: path)
    }

    /// Learns the emails of `database`'s users now and after every change to them, for `signInFailed`.
    package func watchEmails(of database: TenantDatabase) {
        let tenant = database.tenant
        learnEmails(of: tenant, in: database.pool)
        // The pool holds this observer for its lifetime: holding the pool strongly here would keep it open for ever
        // (never closed when idle, never checkpointed at stop).
        database.afterCommits(changing: ["users"]) { [weak self, weak pool = database.pool] in
            guard let pool else { return }
            Task { self?.learnEmails(of: tenant, in: pool) }
        }
    }

    private func learnEmails(of tenant: TenantID, in pool: DatabasePool) {
        guard let marks = CredentialMarks.of(dataFolder: dataFolder),  // a database opened: its credentials will have marks
            let emails = try? pool.read({ db in try String.fetchAll(db, sql: "SELECT email FROM users") })
        else { return }
        let digests = Set(emails.map { marks.digest(email: $0) })
        state.withLock { state in
            for old in state.emailsOf[tenant] ?? [] where !digests.contains(old) {
                state.emailOwners[old]?.remove(tenant)
                if state.emailOwners[old]?.isEmpty == true { state.emailOwners[old] = nil }
            }
            for digest in digests { state.emailOwners[digest, default: []].insert(tenant) }
            state.emailsOf[tenant] = digests
        }
    }

    private func seen(_ kind: Kind, of owner: TenantID, at tenant: TenantID, from source: String, path: String) async {
        metrics.crossTenantCredential(tenant: tenant)
        let minute = Int(Date().timeIntervalSince1970 / 60)
        let key = "\(source) \(kind.rawValue) \(owner) \(tenant)"
        let first = state.withLock { state in
            guard state.logged[key] != minute else { return false }
            if state.logged.count > 10_000 { state.logged = state.logged.filter { $0.value == minute } }  // bounded under a flood
            state.logged[key] = minute
            return true
        }
        guard first else { return }
        logger.warning(
            "a \(kind.rawValue) of tenant \(owner) was presented at tenant \(tenant)",
            metadata: [
                "source": .string(source), "belongs_to": .string(owner.rawValue), "presented_at": .string(tenant.rawValue), "path": .string(path),
            ]
        )
        let event = SecurityEvents.Event(
            at: Timestamp.now,
            kind: kind.rawValue,
            presentedAt: tenant.rawValue,
            belongsTo: owner.rawValue,
            source: source,
            path: String(path.prefix(200))
        )
        do {
            try await SecurityEvents.record(event, in: systemAdmins.admins().pool)
        } catch {
            logger.error("the security event could not be kept in system.sqlite: \(error)")
        }
    }
}

extension TenantRequestContext {
    /// `credential` was refused here: the watch looks whether another tenant made it.
    package func noteRefused(_ credential: String, _ kind: CrossTenantWatch.Kind, _ request: Request) async {
        await crossTenantWatch?.credentialRefused(credential, kind, at: tenant.id, from: clientAddress, path: request.uri.path)
    }

    /// A sign-in here failed for `email`: the watch looks whether it is a user of another tenant.
    package func noteFailedSignIn(_ email: String, _ request: Request) async {
        await crossTenantWatch?.signInFailed(email: email, at: tenant.id, from: clientAddress, path: request.uri.path)
    }
}
