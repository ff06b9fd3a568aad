import Crypto
import Foundation
import GRDB
import HTTPTypes
import Hummingbird

/// `Idempotency-Key` on `POST`: the first successful answer to a key is stored in the same transaction as the
/// change it made, and a retry with the same key gets that answer again instead of a second change — a till
/// that loses its connection mid-sale must not sell twice. Keys belong to the user who sent them, for 24 hours.
package enum Idempotency {
    package static let schema = TenantSchema(steps: [
        TenantSchema.Step(id: "api.v1") { db, _ in
            try db.execute(
                sql: """
                    CREATE TABLE idempotency_keys (
                        user_id INTEGER NOT NULL,
                        key TEXT NOT NULL,
                        request_hash BLOB NOT NULL,
                        status INTEGER NOT NULL,
                        body TEXT NOT NULL,
                        created_at TEXT NOT NULL,
                        PRIMARY KEY (user_id, key)
                    ) STRICT, WITHOUT ROWID;
                    CREATE INDEX idempotency_keys_by_time ON idempotency_keys (created_at);
                    """
            )
        }
    ])

    package static let header = HTTPField.Name("Idempotency-Key")!
    package static let replayedHeader = HTTPField.Name("Idempotent-Replayed")!

    /// What a write handler answers: a status and a JSON body (usually made by SQLite's `json_object`).
    package struct Answer: Sendable {
        package var status: HTTPResponse.Status
        package var json: String

        package init(status: HTTPResponse.Status, json: String) {
            self.status = status
            self.json = json
        }
    }

    /// Runs `change` in one write transaction and answers its result, or the stored answer of an earlier request
    /// with the same key. A failed change stores nothing, so its retry is tried afresh.
    package static func write(
        _ request: Request,
        _ context: AuthenticatedContext,
        fields: RequestFields,
        _ change: @escaping @Sendable (Database) throws -> Answer
    ) async throws -> Response {
        let database = try await context.storage.database()
        guard let key = request.headers[header] else {
            return response(try await database.write(change), replayed: false)
        }
        guard (1...200).contains(key.utf8.count) else {
            throw Problem(.badRequest, title: "Invalid Idempotency-Key", detail: "An Idempotency-Key must be 1 to 200 characters.")
        }
        var hasher = SHA256()
        hasher.update(data: Data("\(request.method) \(request.uri.path)\n".utf8))
        hasher.update(data: fields.canonical)
        let requestHash = Data(hasher.finalize())
        let userID = context.user.id
        let (answer, replayed) = try await database.write { db -> (Answer, Bool) in
            if let stored = try db.fetchOneCached(
                "SELECT request_hash, status, body FROM idempotency_keys WHERE user_id = ? AND key = ? AND created_at > ?",
                [userID, key, Timestamp.string(Date(timeIntervalSinceNow: -86_400))]
            ) {
                guard (stored["request_hash"] as Data) == requestHash else {
                    throw Problem(
                        .unprocessableContent,
                        title: "Idempotency-Key reused",
                        detail: "This Idempotency-Key was already used for a different request; use a new key for a new request."
                    )
                }
                return (Answer(status: .init(code: stored["status"]), json: stored["body"]), true)
            }
            try db.executeCached("DELETE FROM idempotency_keys WHERE created_at <= ?", [Timestamp.string(Date(timeIntervalSinceNow: -86_400))])
            let answer = try change(db)
            try db.executeCached(
                "INSERT INTO idempotency_keys (user_id, key, request_hash, status, body, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                [userID, key, requestHash, Int(answer.status.code), answer.json, Timestamp.now]
            )
            return (answer, false)
        }
        return response(answer, replayed: replayed)
    }

    private static func response(_ answer: Answer, replayed: Bool) -> Response {
        var response = Response.json(bytes: ByteBuffer(string: answer.json), status: answer.status)
        if replayed { response.headers[replayedHeader] = "true" }
        return response
    }
}
