import Crypto
import Foundation
import GRDB
import Logging
import Synchronization

/// One-time links that make a tenant's first admin from the browser, so a new box needs no second terminal.
///
/// A tenant without an admin gets a link printed in the server's log — at start, when its file appears, and again
/// when its sign-in page is opened after the last link expired. The token is 256 random bits; only its SHA-256 is
/// kept, in memory: a restart or an expiry makes every printed link worthless, and a stolen data folder holds none.
/// A link works for an hour, for one admin, and never once the tenant has an admin however that admin was made.
public final class SetupLinks: Sendable {
    public static let lifetime: Duration = .seconds(3600)

    private struct Link {
        package var hash: Data
        package var expires: ContinuousClock.Instant
        /// A form with this link is being submitted: a second one at the same moment is refused.
        package var claimed = false
    }

    private struct State {
        package var links: [TenantID: Link] = [:]
        /// Known once the server listens (links are printed after the line saying where); tenants seen before that
        /// wait in `waiting`.
        package var port: Int?
        package var waiting: Set<TenantID> = []
    }

    private let state = Mutex(State())
    private let databases: TenantDatabases
    private let baseDomain: String
    private let logger: Logger

    package init(databases: TenantDatabases, baseDomain: String, logger: Logger) {
        self.databases = databases
        self.baseDomain = baseDomain
        self.logger = logger
    }

    /// The server listens on `port` (known only now when it was asked for port 0).
    package func serving(port: Int) {
        let waiting = state.withLock { state in
            defer { state.waiting = [] }
            state.port = port
            return state.waiting
        }
        tenantsAppeared(waiting)
    }

    /// Tenants that were just loaded. One without a database has no admin: it gets a link at once, without touching
    /// the disk. One with a database gets its link when its sign-in page is opened (`awaitsAdmin`), so a start never
    /// opens thousands of databases to look.
    package func tenantsAppeared(_ tenants: some Sequence<TenantID>) {
        for tenant in tenants.sorted(by: { $0.rawValue < $1.rawValue }) where !databases.hasDatabase(tenant) {
            issue(for: tenant)
        }
    }

    package func tenantsRemoved(_ tenants: some Sequence<TenantID>) {
        state.withLock { state in
            for tenant in tenants {
                state.links[tenant] = nil
                state.waiting.remove(tenant)
            }
        }
    }

    /// True when the tenant has no active admin. Asked by the sign-in and setup pages; when it is true and the last
    /// link has expired, a new one is printed. Never creates a database.
    package func awaitsAdmin(_ storage: TenantStorage) async throws -> Bool {
        guard try await !Self.hasAdmin(storage) else {
            state.withLock { $0.links[storage.tenant] = nil }
            return false
        }
        issue(for: storage.tenant, unlessLive: true)
        return true
    }

    /// True for the live, unclaimed link of `tenant`.
    package func isValid(_ token: String, for tenant: TenantID) -> Bool {
        state.withLock { state in Self.matches(state.links[tenant], token) && state.links[tenant]?.claimed == false }
    }

    /// Takes the link for one submission; false when it is not valid or another submission holds it.
    package func claim(_ token: String, for tenant: TenantID) -> Bool {
        state.withLock { state in
            guard Self.matches(state.links[tenant], token), state.links[tenant]?.claimed == false else { return false }
            state.links[tenant]?.claimed = true
            return true
        }
    }

    /// The tenant whose live link `token` is, if any (another tenant's link tried here is a `CrossTenantWatch` event).
    package func tenant(holding token: String) -> TenantID? {
        let hash = AccessTokens.hash(token)
        return state.withLock { state in state.links.first { $0.value.hash == hash && $0.value.expires >= .now }?.key }
    }

    /// The submission failed (a field to correct): the same link works again.
    package func release(_ token: String, for tenant: TenantID) {
        state.withLock { state in
            if Self.matches(state.links[tenant], token) { state.links[tenant]?.claimed = false }
        }
    }

    /// The admin exists: the link is gone.
    package func spend(for tenant: TenantID) {
        state.withLock { $0.links[tenant] = nil }
    }

    /// Prints a new link, which replaces the last; `unlessLive`: only when the last has expired or there is none.
    private func issue(for tenant: TenantID, unlessLive: Bool = false) {
        let token = AccessTokens.randomSecret()
        let port: Int? = state.withLock { state in
            if unlessLive, let link = state.links[tenant], link.expires >= .now { return nil }
            guard let port = state.port else {
                state.waiting.insert(tenant)
                return nil
            }
            state.links[tenant] = Link(hash: AccessTokens.hash(token), expires: .now + Self.lifetime)
            return port
        }
        guard let port else { return }
        logger.notice("\(tenant) has no admin yet: open http://\(tenant).\(baseDomain):\(port)/setup?token=\(token) (valid 1 hour, this link only)")
    }

    /// As if the hour had passed: for tests, which cannot wait it out.
    package func expire(for tenant: TenantID) {
        state.withLock { $0.links[tenant]?.expires = .now - .seconds(1) }
    }

    private static func matches(_ link: Link?, _ token: String) -> Bool {
        guard let link, link.expires >= .now else { return false }
        // Compared in constant time, though a hash's bytes say little about the token's.
        let given = AccessTokens.hash(token)
        return given.count == link.hash.count && zip(given, link.hash).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Whether an active admin exists; no database means no users at all.
    package static func hasAdmin(_ storage: TenantStorage) async throws -> Bool {
        guard let database = try await storage.existingDatabase() else { return false }
        return try await database.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM users WHERE role = 'admin' AND active = 1)") ?? false
        }
    }
}
