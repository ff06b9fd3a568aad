import Foundation
import GRDB
import Synchronization

/// Who a bearer token or session cookie belongs to, remembered for a moment so a client's next requests skip the
/// lookup (a third of a small API request's time went to it).
///
/// It is safe because it forgets. Every commit on this server that touches `users`, `access_tokens` or `sessions`
/// empties it before the write returns (a transaction observer on the tenant's writer), so revoking a token or
/// disabling a user through the API takes effect at once. A change made by another process (`clinicbox user
/// disable` on the same file) cannot be observed; entries live at most `lifetime`, which bounds that delay.
/// Only successful lookups are kept, by the secret's SHA-256 hash.
package final class SignInCache: Sendable {
    package static let lifetime: TimeInterval = 2

    package let tokens = ExpiringCache<AuthenticatedUser>()
    package let sessions = ExpiringCache<Sessions.Found>()

    package func removeAll() {
        tokens.removeAll()
        sessions.removeAll()
    }

    /// Empties `cache` after each commit that changed a table sign-ins are read from.
    package final class Observer: TransactionObserver {
        private static let tables: Set<String> = ["users", "access_tokens", "sessions"]
        private let cache: SignInCache
        private var changed = false

        package init(_ cache: SignInCache) { self.cache = cache }

        package func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { Self.tables.contains(eventKind.tableName) }
        package func databaseDidChange(with event: DatabaseEvent) { changed = true }
        package func databaseDidCommit(_ db: Database) {
            if changed { cache.removeAll() }
            changed = false
        }
        package func databaseDidRollback(_ db: Database) { changed = false }
    }
}

/// A small map from a secret's hash to a value, each entry valid until its own deadline.
package final class ExpiringCache<Value: Sendable>: Sendable {
    private struct Entry {
        package var value: Value
        package var validUntil: ContinuousClock.Instant
    }

    private struct State {
        package var entries: [Data: Entry] = [:]
        /// Bumped by `removeAll`: a lookup that began before it must not store what it read.
        package var generation = 0
    }

    private let state = Mutex(State())
    /// Beyond this many live secrets the cache starts again empty, so memory stays bounded.
    private let capacity = 10_000

    package func value(for key: Data, now: ContinuousClock.Instant = .now) -> Value? {
        state.withLock { state in
            guard let entry = state.entries[key] else { return nil }
            guard entry.validUntil > now else {
                state.entries[key] = nil
                return nil
            }
            return entry.value
        }
    }

    /// Take this before reading the database, and pass it to `store`.
    package var generation: Int { state.withLock { $0.generation } }

    /// Keeps `value` for `SignInCache.lifetime`, unless the cache was emptied since `generation` was taken, in
    /// which case the value may already be stale.
    package func store(_ value: Value, for key: Data, generation: Int) {
        let deadline = ContinuousClock.now + .seconds(SignInCache.lifetime)
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[key] = Entry(value: value, validUntil: deadline)
        }
    }

    package func removeAll() {
        state.withLock { state in
            state.generation += 1
            state.entries.removeAll()
        }
    }
}
