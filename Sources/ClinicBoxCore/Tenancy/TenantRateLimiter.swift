import Synchronization

/// `limits.requests_per_minute`, per tenant: a bucket that holds a minute's worth of requests and refills evenly,
/// so a clinic can burst through a busy minute, but one tenant flooding the server only ever hears `429` itself.
package final class TenantRateLimiter: Sendable {
    private struct Bucket {
        package var tokens: Double
        package var updated: ContinuousClock.Instant
    }

    private let buckets = Mutex<[TenantID: Bucket]>([:])

    package init() {}

    /// Takes one request from the tenant's bucket: nil when it may go ahead, else how long until one would be allowed.
    package func admit(_ tenant: TenantID, perMinute limit: Int, now: ContinuousClock.Instant = .now) -> Duration? {
        let capacity = Double(limit)
        let perSecond = capacity / 60
        return buckets.withLock { buckets -> Duration? in
            var bucket = buckets[tenant] ?? Bucket(tokens: capacity, updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(capacity, bucket.tokens + seconds * perSecond)
            bucket.updated = now
            let wait: Duration?
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                wait = nil
            } else {
                wait = .milliseconds(Int64(((1 - bucket.tokens) / perSecond * 1000).rounded(.up)))
            }
            buckets[tenant] = bucket
            return wait
        }
    }

    /// Forgets tenants that are gone, so a reload that removes tenants frees their buckets.
    package func keepOnly(_ tenants: some Sequence<TenantID>) {
        let keep = Set(tenants)
        buckets.withLock { buckets in buckets = buckets.filter { keep.contains($0.key) } }
    }
}
