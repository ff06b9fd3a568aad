import Synchronization

/// What other layers keep for exactly as long as one tenant's database is open — the pages' rendered rows — made
/// on first use and dropped with the database, so it can never be shared across tenants. Storage names none of
/// them: each is found by its type.
package final class DatabaseCompanions: Sendable {
    private let values = Mutex<[ObjectIdentifier: any Sendable]>([:])

    /// The companion of type `T`, made by `make` the first time it is asked for.
    package func value<T: Sendable>(_ type: T.Type = T.self, make: () -> T) -> T {
        values.withLock { values in
            if let value = values[ObjectIdentifier(type)] as? T { return value }
            let value = make()
            values[ObjectIdentifier(type)] = value
            return value
        }
    }
}
