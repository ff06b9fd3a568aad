import Foundation
import GRDB

/// Who did something, for the audit trail.
public struct AuditActor: Sendable {
    public var userID: Int64?
    public var email: String?
    public var role: Role?
    public var clientAddress: String?
    public var requestID: String?

    public init(userID: Int64? = nil, email: String? = nil, role: Role? = nil, clientAddress: String? = nil, requestID: String? = nil) {
        self.userID = userID
        self.email = email
        self.role = role
        self.clientAddress = clientAddress
        self.requestID = requestID
    }

    /// The same request, now known to be `user`'s.
    public func acting(as user: AuthenticatedUser) -> AuditActor {
        AuditActor(userID: user.id, email: user.email, role: user.role, clientAddress: clientAddress, requestID: requestID)
    }

    /// An admin at the box's own command line.
    public static let commandLine = AuditActor(clientAddress: "command line")
}

/// One field's value before and after a change; nil means absent.
public struct AuditChange: Sendable, Encodable {
    public var before: String?
    public var after: String?

    public init(before: String?, after: String?) {
        self.before = before
        self.after = after
    }
}

/// The append-only audit trail. `record` must be called inside the transaction of the change it records,
/// so there is no change without its row and no row for a rolled-back change.
public enum AuditLog {
    /// The table, in each tenant database and in `system.sqlite`. Triggers make it append-only.
    package static let tableSQL = """
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            user_id INTEGER,
            user_email TEXT,
            role TEXT,
            client_address TEXT,
            request_id TEXT,
            action TEXT NOT NULL,
            entity_type TEXT,
            entity_id TEXT,
            changes TEXT
        ) STRICT;
        CREATE INDEX audit_log_by_time ON audit_log (at);
        CREATE INDEX audit_log_by_user ON audit_log (user_id, at);
        CREATE INDEX audit_log_by_action ON audit_log (action, at);
        CREATE INDEX audit_log_by_entity ON audit_log (entity_type, entity_id, at);
        CREATE TRIGGER audit_log_refuses_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        CREATE TRIGGER audit_log_refuses_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        """

    public static func record(
        _ db: Database,
        actor: AuditActor,
        action: String,
        entityType: String? = nil,
        entityID: String? = nil,
        changes: [String: AuditChange] = [:]
    ) throws {
        // Values are stored as data (bound parameters, JSON), never spliced into SQL or log lines.
        let changesJSON = changes.isEmpty ? nil : String(decoding: JSON.encode(changes), as: UTF8.self)
        try db.executeCached(
            """
            INSERT INTO audit_log (at, user_id, user_email, role, client_address, request_id, action, entity_type, entity_id, changes)
            VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                actor.userID, actor.email, actor.role?.rawValue, actor.clientAddress, actor.requestID, action, entityType, entityID, changesJSON,
            ]
        )
    }
}
