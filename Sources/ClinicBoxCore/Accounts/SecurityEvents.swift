import Foundation
import GRDB

/// What the box saw across tenants — a credential or sign-in email of one tenant tried at another — kept in
/// `system.sqlite` for system administrators (`clinicbox security events`, `GET /api/system/security-events`).
/// Rows are only ever added.
package enum SecurityEvents {
    package static let tableSQL = """
        CREATE TABLE security_events (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            presented_at TEXT NOT NULL,
            belongs_to TEXT NOT NULL,
            source TEXT NOT NULL,
            path TEXT NOT NULL
        ) STRICT;
        CREATE TRIGGER security_events_no_update BEFORE UPDATE ON security_events
            BEGIN SELECT RAISE(ABORT, 'security events are append-only'); END;
        CREATE TRIGGER security_events_no_delete BEFORE DELETE ON security_events
            BEGIN SELECT RAISE(ABORT, 'security events are append-only'); END;
        """

    /// One event: which kind of credential, of which tenant, was presented where, from which address.
    package struct Event: Sendable, Encodable, Equatable {
        package var at: String
        package var kind: String
        package var presentedAt: String
        package var belongsTo: String
        package var source: String
        package var path: String

        /// The line `clinicbox security events` prints.
        package var line: String {
            "\(at)  \(source)  presented a \(kind) of tenant \(belongsTo) at tenant \(presentedAt) (\(path))"
        }
    }

    package static func record(_ event: Event, in pool: DatabasePool) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO security_events (at, kind, presented_at, belongs_to, source, path) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [event.at, event.kind, event.presentedAt, event.belongsTo, event.source, event.path]
            )
        }
    }

    /// The newest `limit` events, newest first.
    package static func recent(_ limit: Int, in pool: DatabasePool) throws -> [Event] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT at, kind, presented_at, belongs_to, source, path FROM security_events ORDER BY id DESC LIMIT ?",
                arguments: [limit]
            ).map {
                Event(
                    at: $0["at"],
                    kind: $0["kind"],
                    presentedAt: $0["presented_at"],
                    belongsTo: $0["belongs_to"],
                    source: $0["source"],
                    path: $0["path"]
                )
            }
        }
    }
}
