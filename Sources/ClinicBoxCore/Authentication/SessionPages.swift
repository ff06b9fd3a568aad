import Foundation
import GRDB
import Hummingbird

/// `/account/sessions`: the user's own open page sessions (browser, address, when last used), each of the others
/// with an *End* button — the shared front-desk PC signed in yesterday, a lost phone.
package struct SessionPages {
    package let pages: Pages

    package var endpoints: [Endpoint<PageRequestContext>] {
        [
            .page(.get, "account/sessions", "your open sessions", allowing: "signed in: own sessions", template: "account/sessions", use: list),
            .page(.post, "account/sessions/{id}/end", "end one of your sessions", allowing: "signed in: own sessions", use: end),
        ]
    }

    private func list(_: Request, _ context: PageRequestContext) async throws -> Response {
        let (userID, security, current) = (context.user.id, context.tenant.definition.security, context.session.id)
        let sessions = try await context.storage.database().read { db in try OpenSession.all(of: userID, security: security, db) }
        let data: [String: Any] = [
            "sessions": Self.rows(sessions, context, current: current, endable: true), "signedIn": "Signed in as \(context.user.displayName)",
        ]
        return pages.page(context, "account/sessions", title: "Your sessions", section: "account", data: data)
    }

    private func end(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        _ = try await context.submittedForm(request)
        let id = try context.recordID(entity: "session")
        let (userID, actor) = (context.user.id, context.actor)
        let ended = try await context.storage.database().write { db in try OpenSession.end(id, of: userID, actor: actor, db) }
        guard ended == 1 else { throw Problem(.notFound, title: "No such session", detail: "That session is not one of yours, or it has ended.") }
        return Pages.seeOther("\(context.basePath)/account/sessions")
    }

    /// The table's rows; `endable`: each but the current one has an *End* button.
    static func rows(_ sessions: [OpenSession], _ context: PageRequestContext, current: Int64?, endable: Bool) -> [[String: Any]] {
        let time = context.tenant.readableTime
        return sessions.map { session in
            var row: [String: Any] = [
                "device": session.device, "address": session.address ?? "unknown", "started": time.moment(session.startedAt),
                "lastSeen": time.moment(session.lastSeenAt),
            ]
            if session.id == current {
                row["isCurrent"] = true
            } else if endable {
                row["endAction"] = "\(context.basePath)/account/sessions/\(session.id)/end"
            }
            return row
        }
    }
}
