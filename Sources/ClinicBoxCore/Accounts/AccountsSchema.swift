import GRDB

extension TenantSchema {
    /// Users and the append-only audit trail, in every tenant database.
    public static let accounts = TenantSchema(steps: [
        Step(id: "accounts.v1") { db, _ in
            try db.execute(
                sql: """
                    CREATE TABLE users (
                        id INTEGER PRIMARY KEY,
                        email TEXT NOT NULL UNIQUE COLLATE NOCASE,
                        display_name TEXT NOT NULL,
                        role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'clinician', 'staff')),
                        branches TEXT NOT NULL DEFAULT '[]',
                        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
                        password_hash TEXT NOT NULL,
                        password_changed_at TEXT NOT NULL,
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL
                    ) STRICT;
                    """
            )
            try db.execute(sql: AuditLog.tableSQL)
        }
    ])

    /// Everything a tenant database holds in this binary.
    public static let standard = core.appending(accounts).appending(accessTokens).appending(sessions).appending(Idempotency.schema)
        .appending(practitioners).appending(registrations)
        .appending(TwoFactor.schema).appending(sessionDevices).appending(apiKeyLimits).appending(emergencyAccess)
}

extension TenantSchema {
    /// A clinician's professional registration number (a medical or pharmacy council's), printed on prescriptions.
    package static let registrations = TenantSchema(steps: [
        Step(id: "accounts.v5") { db, _ in
            try db.execute(sql: "ALTER TABLE users ADD COLUMN registration_number TEXT CHECK (length(registration_number) BETWEEN 1 AND 50)")
        }
    ])
}

extension TenantSchema {
    /// Users who see patients without being clinicians (the dentist who owns the practice and is its admin):
    /// booking offers clinicians and these.
    package static let practitioners = TenantSchema(steps: [
        Step(id: "accounts.v4") { db, _ in
            try db.execute(sql: "ALTER TABLE users ADD COLUMN practitioner INTEGER NOT NULL DEFAULT 0 CHECK (practitioner IN (0, 1))")
        }
    ])
}

extension TenantSchema {
    /// Bearer tokens and API keys, stored only as SHA-256 hashes.
    package static let accessTokens = TenantSchema(steps: [
        Step(id: "accounts.v2") { db, _ in
            try db.execute(
                sql: """
                    CREATE TABLE access_tokens (
                        id INTEGER PRIMARY KEY,
                        user_id INTEGER NOT NULL REFERENCES users (id),
                        token_hash BLOB NOT NULL UNIQUE,
                        kind TEXT NOT NULL CHECK (kind IN ('token', 'api_key')),
                        name TEXT,
                        created_at TEXT NOT NULL,
                        expires_at TEXT,
                        last_used_at TEXT,
                        revoked_at TEXT
                    ) STRICT;
                    CREATE INDEX access_tokens_by_user ON access_tokens (user_id);
                    """
            )
        }
    ])
}

extension TenantSchema {
    /// Page sessions: the cookie's SHA-256 hash, its CSRF token and its idle and absolute expiry.
    package static let sessions = TenantSchema(steps: [
        Step(id: "accounts.v3") { db, _ in
            try db.execute(
                sql: """
                    CREATE TABLE sessions (
                        id INTEGER PRIMARY KEY,
                        session_hash BLOB NOT NULL UNIQUE,
                        user_id INTEGER NOT NULL REFERENCES users (id),
                        csrf_token TEXT NOT NULL,
                        created_at TEXT NOT NULL,
                        last_seen_at TEXT NOT NULL,
                        expires_at TEXT NOT NULL,
                        ended_at TEXT
                    ) STRICT;
                    CREATE INDEX sessions_by_user ON sessions (user_id);
                    """
            )
        }
    ])
}
