import Foundation
import Synchronization

/// Slows down password guessing, per tenant + email, per client address at a tenant, and per client address
/// across all tenants.
///
/// After 5 failures for an email, each further attempt waits 2, 4, 8 … seconds, capped at one minute, so an
/// attacker cannot lock a real user out for long. A client address gets 20 failures at one tenant before its
/// delay there starts, capped at 15 minutes: guessing at one clinic never slows down sign-ins at another, even
/// when every client shares one address (a proxy without `--trust-proxy`). The address's ceiling across all
/// tenants (300 failures) is above what the per-tenant delay lets one tenant's attacker reach in 15 minutes
/// (about 30), so it only stops guessing spread over many tenants. Failures are counted per 15 minutes; a success
/// clears the email's record.
public final class LoginThrottle: Sendable {
    private struct Record {
        package var failures: Int
        package var blockedUntil: ContinuousClock.Instant
        package var lastFailure: ContinuousClock.Instant
        /// Failures are counted in windows of 15 minutes, so a slow, steady attacker never adds up to a ceiling.
        package var windowStart: ContinuousClock.Instant
    }

    private struct Rule {
        package var freeFailures: Int
        package var maximumDelay: Duration
    }

    private static let emailRule = Rule(freeFailures: 5, maximumDelay: .seconds(60))
    private static let tenantAddressRule = Rule(freeFailures: 20, maximumDelay: .seconds(900))
    private static let addressRule = Rule(freeFailures: 300, maximumDelay: .seconds(900))
    private static let forgetAfter: Duration = .seconds(900)
    private let records = Mutex<[String: Record]>([:])
    /// Told of every failed sign-in, for the failed-login metric.
    private let onFailure: @Sendable (TenantID) -> Void

    public init(onFailure: @escaping @Sendable (TenantID) -> Void = { _ in }) {
        self.onFailure = onFailure
    }

    /// How long the caller must wait before trying again, or nil when an attempt may go ahead.
    public func retryAfter(tenant: TenantID, email: String, address: String) -> Duration? {
        let now = ContinuousClock.now
        return records.withLock { records in
            [Self.key(tenant, email), Self.key(tenant, address: address), Self.key(address: address)].compactMap { key -> Duration? in
                guard let record = records[key], record.blockedUntil > now else { return nil }
                return record.blockedUntil - now
            }.max()
        }
    }

    public func recordFailure(tenant: TenantID, email: String, address: String) {
        onFailure(tenant)
        let now = ContinuousClock.now
        records.withLock { records in
            Self.fail(&records, key: Self.key(tenant, email), rule: Self.emailRule, now: now)
            Self.fail(&records, key: Self.key(tenant, address: address), rule: Self.tenantAddressRule, now: now)
            Self.fail(&records, key: Self.key(address: address), rule: Self.addressRule, now: now)
            if records.count > 100_000 { records = records.filter { now - $0.value.lastFailure < Self.forgetAfter } }
        }
    }

    public func recordSuccess(tenant: TenantID, email: String) {
        _ = records.withLock { $0.removeValue(forKey: Self.key(tenant, email)) }
    }

    private static func fail(_ records: inout [String: Record], key: String, rule: Rule, now: ContinuousClock.Instant) {
        var record = records[key] ?? Record(failures: 0, blockedUntil: now, lastFailure: now, windowStart: now)
        if now - record.windowStart > forgetAfter {
            record.failures = 0
            record.windowStart = now
        }
        record.failures += 1
        record.lastFailure = now
        let excess = record.failures - rule.freeFailures
        if excess >= 0 {
            record.blockedUntil = now + min(.seconds(1 << min(excess + 1, 20)), rule.maximumDelay)
        }
        records[key] = record
    }

    private static func key(_ tenant: TenantID, _ email: String) -> String {
        "email:\(tenant):\(email.lowercased())"
    }

    private static func key(_ tenant: TenantID, address: String) -> String {
        "tenant-address:\(tenant):\(address)"
    }

    private static func key(address: String) -> String {
        "address:\(address)"
    }
}
