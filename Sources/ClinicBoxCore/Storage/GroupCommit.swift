import GRDB
import Synchronization

/// Writes to one database that arrive together share a commit: one `BEGIN IMMEDIATE` transaction, a savepoint per
/// write, one fsync at `COMMIT`, and only then is every write of the group answered.
///
/// With `synchronous = FULL` the fsync is the cost of a write; one per write caps a tenant at the disk's sync rate
/// however many people are at the desk. The first write to arrive commits at once (no timer): the writes that arrive
/// while it runs and syncs wait for that and form the next group. A write that throws rolls back its own savepoint
/// only, and its caller gets the error; the others of its group still commit. Nothing is answered as written before
/// the `COMMIT` that holds it has returned.
package final class GroupCommit: Sendable {
    /// The most writes in one transaction: bounds how long the first of a group waits for the others to run.
    static let largestGroup = 64

    private let pool: DatabasePool
    private let state = Mutex(State())

    private struct State {
        var waiting: [any GroupedWrite] = []
        /// A group is being written on the pool's writer: new writes wait for it, then form the next.
        var committing = false
        var counts = Counts()
    }

    /// How many commits carried how many writes, since the database was opened.
    package struct Counts: Equatable, Sendable {
        package var commits = 0
        package var writes = 0
    }

    init(pool: DatabasePool) {
        self.pool = pool
    }

    package var counts: Counts { state.withLock { $0.counts } }

    /// Writes waiting for the writer.
    package var waiting: Int { state.withLock { $0.waiting.count } }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let write = PendingWrite(body: body, continuation: continuation)
            let leads = state.withLock { state in
                state.waiting.append(write)
                defer { state.committing = true }
                return !state.committing
            }
            if leads { pool.asyncWriteWithoutTransaction { db in self.commitWhileWaiting(db) } }
        }
    }

    /// Runs on the pool's writer until no write is waiting.
    private func commitWhileWaiting(_ db: Database) {
        while true {
            let group = take(upTo: Self.largestGroup, endingIfNone: true)
            if group.isEmpty { return }
            commit(group, db)
        }
    }

    /// Takes waiting writes in arrival order; with none waiting and `endingIfNone`, hands the writer back.
    private func take(upTo limit: Int, endingIfNone: Bool) -> [any GroupedWrite] {
        state.withLock { state in
            if state.waiting.isEmpty && endingIfNone { state.committing = false }
            let taken = Array(state.waiting.prefix(limit))
            state.waiting.removeFirst(taken.count)
            return taken
        }
    }

    /// Writes `first` and whatever arrives while it runs (up to `largestGroup`) in one transaction, and commits it.
    private func commit(_ first: [any GroupedWrite], _ db: Database) {
        var written: [any GroupedWrite] = []
        var next = first
        repeat {
            for write in next {
                if !db.isInsideTransaction {
                    do {
                        try db.beginTransaction(.immediate)
                    } catch {
                        write.fail(error)
                        continue
                    }
                }
                if let error = write.run(db) {
                    // Errors such as a full disk or an I/O error may end the whole transaction, not only the
                    // savepoint: the writes before it in this group are then gone too, and are told why.
                    if !db.isInsideTransaction { fail(&written, error) }
                    continue
                }
                written.append(write)
            }
            next = take(upTo: Self.largestGroup - written.count, endingIfNone: false)
        } while !next.isEmpty
        guard db.isInsideTransaction else { return }
        do {
            try db.commit()
        } catch {
            try? db.rollback()
            fail(&written, error)
            return
        }
        state.withLock { state in
            state.counts.commits += 1
            state.counts.writes += written.count
        }
        for write in written { write.acknowledge() }
    }

    private func fail(_ writes: inout [any GroupedWrite], _ error: any Error) {
        for write in writes { write.fail(error) }
        writes.removeAll()
    }
}

/// A write waiting for, or running in, a group.
private protocol GroupedWrite: Sendable {
    /// Runs the write in a savepoint of the open transaction; the error it threw, which its caller already has.
    func run(_ db: Database) -> (any Error)?
    /// Its group was committed: the caller gets the value.
    func acknowledge()
    /// Its group was not committed: the caller gets `error`.
    func fail(_ error: any Error)
}

/// Touched by one thread at a time: the writer that left it in `waiting` once it is taken, only the pool's writer.
private final class PendingWrite<T: Sendable>: GroupedWrite, @unchecked Sendable {
    private let body: @Sendable (Database) throws -> T
    private let continuation: CheckedContinuation<T, any Error>
    private var value: T?

    init(body: @escaping @Sendable (Database) throws -> T, continuation: CheckedContinuation<T, any Error>) {
        (self.body, self.continuation) = (body, continuation)
    }

    func run(_ db: Database) -> (any Error)? {
        do {
            try db.inSavepoint {
                value = try body(db)
                return .commit
            }
            return nil
        } catch {
            continuation.resume(throwing: error)
            return error
        }
    }

    func acknowledge() {
        guard let value else { preconditionFailure("a write was acknowledged before it ran") }
        continuation.resume(returning: value)
    }

    func fail(_ error: any Error) {
        continuation.resume(throwing: error)
    }
}
