import GRDB

/// Runs an action after each commit on this server that changed one of `tables`: what a cache of answers read from
/// those tables needs to forget them before the write returns. Changes made by another process are not seen.
final class TableChangeObserver: TransactionObserver {
    private let tables: Set<String>
    private let action: @Sendable () -> Void
    private var changed = false

    init(tables: Set<String>, action: @escaping @Sendable () -> Void) {
        (self.tables, self.action) = (tables, action)
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { tables.contains(eventKind.tableName) }
    func databaseDidChange(with event: DatabaseEvent) { changed = true }
    func databaseDidCommit(_ db: Database) {
        if changed { action() }
        changed = false
    }
    func databaseDidRollback(_ db: Database) { changed = false }
}

extension TenantDatabase {
    /// Calls `action` after every commit that changed one of `tables`, for as long as the database is open.
    package func afterCommits(changing tables: Set<String>, _ action: @escaping @Sendable () -> Void) {
        pool.add(transactionObserver: TableChangeObserver(tables: tables, action: action), extent: .databaseLifetime)
    }
}
