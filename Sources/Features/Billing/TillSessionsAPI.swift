import ClinicBoxCore
import Foundation
import GRDB
import Hummingbird

/// `/api/v1/till-sessions`: a cashier opens and closes their till; a manager sees every session of a day.
package struct TillSessionsAPI {
    /// `?day=` (default today), `?branch=`: the user's own sessions, or everyone's for a manager.
    package func list(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let query = ListQuery(request)
        let day = query.date("day") ?? CalendarDate.today(in: context.tenant.timeZone)
        try query.finish()
        var conditions = try await context.branchConditions(request, column: "branch")
        conditions.add("opened_on = ?", [day.description])
        if !context.allows(.billingApprove) { conditions.add("cashier_id = ?", [context.user.id]) }
        let sources = context.tenant.takings
        let (sql, arguments) = ("SELECT id FROM till_sessions \(conditions.whereClause) ORDER BY id", conditions.arguments)
        let sessions = try await context.storage.database().read { db in
            try Int64.fetchAll(db, sql: sql, arguments: arguments).map { try TillSessionView.read(db, id: $0, sources: sources) }
        }
        return try Self.json(["day": day.description, "items": sessions.map(\.json)])
    }

    package func show(_: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id = try context.recordID()
        let (sources, everyone, branches) = (context.tenant.takings, context.allows(.billingApprove), context.user.branchFilter)
        let view = try await context.storage.database().read { db in try TillSessionView.read(db, id: id, sources: sources) }
        guard branches?.contains(view.branch) ?? true, everyone || view.cashierID == context.user.id else {
            throw RecordChanges.notFound("till session")
        }
        return try Self.json(view.json)
    }

    package func open(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        var fields = try await RequestFields.read(request, allowed: ["branch", "opening_float"])
        let float = fields.money("opening_float") ?? 0
        let branch = fields.billingBranch(context, for: "the till is in")
        try fields.finish()
        try await context.requireBranch(branch)
        let (terms, sources) = (BillingTerms(context), context.tenant.takings)
        let name = try await context.storage.database().read { db in try context.user.nameAsRecorded(db) }
        let view = try await context.storage.database().write { db in
            let id = try TillSessions.open(db, branch: branch, float: float, terms: terms, name: name)
            return try TillSessionView.read(db, id: id, sources: sources)
        }
        var response = try Self.json(view.json)
        response.status = .created
        return response
    }

    /// `{"counted": {"cash": 12050, "card": 4000, …}, "reason": …}`; a method left out was counted as nothing.
    package func close(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id = try context.recordID()
        var fields = try await RequestFields.read(request, allowed: ["counted", "reason"])
        let reason = fields.text("reason", maxLength: 500)
        let counted = fields.amounts("counted", names: TillSessions.methods) ?? [:]
        try fields.finish()
        let (terms, sources, everyone) = (BillingTerms(context), context.tenant.takings, context.allows(.billingApprove))
        let view = try await context.storage.database().write { db in
            try TillSessions.close(db, id: id, counted: counted, reason: reason, sources: sources, terms: terms, mayCloseOthers: everyone)
            return try TillSessionView.read(db, id: id, sources: sources)
        }
        return try Self.json(view.json)
    }

    static func json(_ object: [String: Any]) throws -> Response {
        .json(bytes: ByteBuffer(data: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])))
    }
}
