import ClinicBoxCore
import Synchronization

/// Patients' statements as the API answered them, kept until billing changes: a statement is read far more often
/// than a patient's invoices and payments change, and reading 200 invoices with a running balance each time is
/// most of the answer's cost. Every commit on this server that touches a billing table empties it before the
/// write returns; a read that began before such a commit does not store what it read (the generation).
final class StatementCache: Sendable {
    static let tables: Set<String> = [
        "invoices", "invoice_lines", "credit_notes", "payments", "payment_allocations", "refunds", "claims", "patients",
    ]

    private struct State {
        var entries: [String: String] = [:]
        var generation = 0
    }

    private let state = Mutex(State())
    /// Beyond this many statements it starts again empty, so memory stays bounded.
    private let capacity = 5_000

    /// The cache of `database`, watching its billing tables from the first time it is asked for.
    static func of(_ database: TenantDatabase) -> StatementCache {
        database.companions.value(StatementCache.self) {
            let cache = StatementCache()
            database.afterCommits(changing: tables) { cache.removeAll() }
            return cache
        }
    }

    /// The statement for `key`, or the one `read` makes (kept unless billing changed meanwhile).
    func statement(_ key: String, read: () async throws -> String) async throws -> String {
        let (cached, generation) = state.withLock { ($0.entries[key], $0.generation) }
        if let cached { return cached }
        let json = try await read()
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[key] = json
        }
        return json
    }

    func removeAll() {
        state.withLock { state in
            state.generation += 1
            state.entries.removeAll()
        }
    }
}
