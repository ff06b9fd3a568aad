import GRDB

/// The schema of `<data>/system.sqlite`: system administrators, their tokens, their audit trail and the security
/// events seen across tenants.
package enum SystemSchema {
    package static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("system.v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE system_admins (
                        id INTEGER PRIMARY KEY,
                        email TEXT NOT NULL UNIQUE COLLATE NOCASE,
                        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
                        password_hash TEXT NOT NULL,
                        created_at TEXT NOT NULL
                    ) STRICT;
                    CREATE TABLE admin_tokens (
                        id INTEGER PRIMARY KEY,
                        admin_id INTEGER NOT NULL REFERENCES system_admins (id),
                        token_hash BLOB NOT NULL UNIQUE,
                        created_at TEXT NOT NULL,
                        expires_at TEXT NOT NULL
                    ) STRICT;
                    """
            )
            try db.execute(sql: AuditLog.tableSQL)
        }
        // Shipped steps are never edited: revocation arrived later, as its own step.
        migrator.registerMigration("system.v2") { db in
            try db.execute(sql: "ALTER TABLE admin_tokens ADD COLUMN revoked_at TEXT")
        }
        migrator.registerMigration("system.v3") { db in
            try db.execute(sql: SecurityEvents.tableSQL)
        }
        return migrator
    }
}
