import Foundation
import GRDB

extension TenantSchema {
    /// Where each page session was started from (the client's address and browser), for the list of open sessions.
    package static let sessionDevices = TenantSchema(steps: [
        Step(id: "accounts.v7") { db, _ in
            try db.execute(sql: "ALTER TABLE sessions ADD COLUMN address TEXT; ALTER TABLE sessions ADD COLUMN device TEXT")
        }
    ])
}

/// A user's live page sessions — the shared front-desk PC someone forgot to sign out of, a phone — each with where
/// and when it was last used, so the user (or an admin) can end the ones that should not be open.
package struct OpenSession: Sendable, Equatable {
    package var id: Int64
    package var startedAt: String
    package var lastSeenAt: String
    package var address: String?
    /// "Firefox on Windows", from the browser's User-Agent at sign-in.
    package var device: String

    /// The live sessions of `userID`, most recently used first.
    package static func all(of userID: Int64, security: TenantDefinition.Security, _ db: Database) throws -> [OpenSession] {
        let now = Date()
        return try Row.fetchAll(
            db,
            sql: """
                SELECT id, created_at, last_seen_at, address, device FROM sessions
                WHERE user_id = ? AND ended_at IS NULL AND expires_at > ? AND last_seen_at > ? ORDER BY last_seen_at DESC, id DESC
                """,
            arguments: [userID, Timestamp.string(now), Timestamp.string(now.addingTimeInterval(-security.idleLimit))]
        ).map { row in
            OpenSession(
                id: row["id"],
                startedAt: row["created_at"],
                lastSeenAt: row["last_seen_at"],
                address: row["address"],
                device: Self.describe(row["device"])
            )
        }
    }

    /// Ends the session `id` of `userID` (nil: ends every one of theirs), audited; how many ended.
    @discardableResult
    package static func end(_ id: Int64?, of userID: Int64, actor: AuditActor, _ db: Database) throws -> Int {
        try db.execute(
            sql: "UPDATE sessions SET ended_at = ? WHERE user_id = ? AND (?3 IS NULL OR id = ?3) AND ended_at IS NULL",
            arguments: [Timestamp.now, userID, id]
        )
        let ended = db.changesCount
        if ended > 0 {
            try AuditLog.record(
                db,
                actor: actor,
                action: id == nil ? "auth.sessions_ended" : "auth.session_ended",
                entityType: id == nil ? "user" : "session",
                entityID: String(id ?? userID)
            )
        }
        return ended
    }

    /// A browser and system a person recognises, from a User-Agent header; "A browser" when it says neither.
    package static func describe(_ userAgent: String?) -> String {
        guard let agent = userAgent, !agent.isEmpty else { return "A browser" }
        let browsers = [
            ("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"), ("curl/", "curl"),
        ]
        let systems = [
            ("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"), ("Mac OS X", "Mac"), ("Linux", "Linux"),
        ]
        let browser = browsers.first { agent.contains($0.0) }?.1
        let system = systems.first { agent.contains($0.0) }?.1
        switch (browser, system) {
        case let (browser?, system?): return "\(browser) on \(system)"
        case let (browser?, nil): return browser
        case let (nil, system?): return "A browser on \(system)"
        case (nil, nil): return "A browser"
        }
    }
}
