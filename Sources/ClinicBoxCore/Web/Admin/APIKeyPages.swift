import Foundation
import Hummingbird
import Mustache

/// `/admin/api-keys`: keys for integrations (a lab system, a booking kiosk), made by an admin and acting as that
/// admin — limited to the actions ticked, and optionally to some addresses and a last day (`APIKeyLimits`).
/// A new key is shown once, on the page that made it, and never again; revoking asks first.
package struct APIKeyPages {
    package let pages: Pages

    package var endpoints: [Endpoint<PageRequestContext>] {
        [
            .page(.get, "", "list", action: Permissions.manageAPIKeys, template: "admin/api-keys", use: list),
            .page(.post, "", "create", action: Permissions.manageAPIKeys, use: create),
            .page(.get, "{id}/revoke", "confirm revoke", action: Permissions.manageAPIKeys, template: "admin/confirm", use: confirmRevoke),
            .page(.post, "{id}/revoke", "revoke", action: Permissions.manageAPIKeys, use: revoke),
        ]
    }

    package struct Line: TemplateValues {
        package var key: AccessTokens.Listed
        package var base: String
        package var time: ReadableTime
        package var permissions: Permissions

        package static let templateNames: TemplateNames<Line> = [
            "name": { $0.key.name ?? "(no name)" },
            "user": { $0.key.userEmail },
            "created": { $0.time.moment($0.key.createdAt) },
            "lastUsed": { $0.key.lastUsedAt.map($0.time.moment) ?? "never" },
            "mayDo": { line in
                line.key.actions.map { $0.map { line.permissions.doing($0) ?? $0 }.joined(separator: "; ") } ?? "everything its maker may do"
            },
            "from": { $0.key.allowedAddresses?.joined(separator: ", ") ?? "anywhere" },
            "until": { line in
                // The key stops at midnight after its last day: the day shown is the one before.
                line.key.expiresAt.flatMap { CalendarDate(dayOf: $0, in: line.time.timeZone) }.map {
                    "through \(ReadableTime.day($0.adding(days: -1)))"
                }
                    ?? "until revoked"
            },
            "revokeHref": { "\($0.base)/admin/api-keys/\($0.key.id)/revoke" },
        ]
    }

    /// One action a new key may be given, as a tick box.
    package struct ActionChoice: TemplateValues {
        package var action: String
        package var doing: String
        package var ticked: Bool

        package static let templateNames: TemplateNames<ActionChoice> = [
            "name": { "action_\($0.action)" }, "action": { $0.action }, "doing": { $0.doing }, "checked": { $0.ticked },
        ]
    }

    private func tokens(_ context: PageRequestContext) async throws -> AccessTokens {
        AccessTokens(database: try await context.storage.database())
    }

    private func list(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let notice = request.uri.queryParameters.get("done") == "revoked" ? "API key revoked; it no longer works." : nil
        return try await page(context, flash: notice)
    }

    private func page(
        _ context: PageRequestContext,
        newKey: String? = nil,
        typed: FormBody? = nil,
        errors: [String: String] = [:],
        status: HTTPResponse.Status = .ok,
        flash: String? = nil
    ) async throws -> Response {
        let (tenant, user) = (context.tenant, context.user)
        let keys = try await tokens(context).list(userID: nil).filter { $0.kind == AccessTokens.Kind.apiKey.rawValue }
        let fields = [
            FormField(
                name: "name",
                label: "What the key is for (e.g. booking kiosk)",
                value: typed?["name"] ?? "",
                required: true,
                autocomplete: "off",
                error: errors["name"]
            ),
            FormField(
                name: "allowed_addresses",
                label: "Only from these addresses (optional, e.g. 192.168.1.0/24 10.0.0.7)",
                value: typed?["allowed_addresses"] ?? "",
                autocomplete: "off",
                error: errors["allowed_addresses"]
            ),
            FormField(
                name: "valid_until",
                label: "Works until the end of (optional)",
                kind: .input(type: "date"),
                value: typed?["valid_until"] ?? "",
                error: errors["valid_until"]
            ),
        ]
        let choices = tenant.permissions.actions.filter { tenant.permissions.allows(user, $0) }.map {
            ActionChoice(action: $0, doing: tenant.permissions.doing($0) ?? $0, ticked: typed?["action_\($0)"] == "true")
        }
        var data: [String: Any] = [
            "keys": keys.map { Line(key: $0, base: context.basePath, time: tenant.readableTime, permissions: tenant.permissions) },
            "hasKeys": !keys.isEmpty, "fields": fields, "choices": choices, "everything": typed?["scope"] == "everything",
        ]
        if let newKey { data["newKey"] = newKey }
        if let message = errors["actions"] { data["actionsError"] = message }
        return pages.page(context, "admin/api-keys", title: "API keys", section: "admin", data: data, status: status, flash: flash)
    }

    private func create(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let (tenant, user) = (context.tenant, context.user)
        let name = body["name"]?.trimmingSpaces ?? ""
        let everything = body["scope"] == "everything"
        let ticked = tenant.permissions.actions.filter { body["action_\($0)"] == "true" }
        var (limits, errors) = APIKeyLimits.read(
            actions: everything ? nil : ticked,
            addresses: body["allowed_addresses"],
            lastDay: body["valid_until"],
            today: CalendarDate.today(in: tenant.timeZone),
            mayDo: { tenant.permissions.allows(user, $0) }
        )
        if !(1...100).contains(name.count) { errors["name"] = "give the key a name of 1 to 100 characters" }
        if errors["actions"] != nil, ticked.isEmpty {
            errors["actions"] = "tick what the key may do, or choose “everything I may do”"
        }
        guard errors.isEmpty else { return try await page(context, typed: body, errors: errors, status: .unprocessableContent) }
        limits.actions = everything ? nil : ticked
        let issued = try await tokens(context).issue(
            for: user,
            kind: .apiKey,
            name: name,
            limits: limits,
            timeZone: tenant.timeZone,
            by: context.actor
        )
        // Shown here once: the page is not cached, and only the key's hash is stored.
        return try await page(
            context,
            newKey: issued.token,
            status: .created,
            flash: "API key \"\(name)\" created. Copy it now: it is not shown again."
        )
    }

    private func confirmRevoke(_: Request, _ context: PageRequestContext) async throws -> Response {
        let id = try context.recordID(entity: "API key")
        guard let key = try await tokens(context).list(userID: nil).first(where: { $0.id == id && $0.kind == AccessTokens.Kind.apiKey.rawValue })
        else {
            throw RecordChanges.notFound("API key")
        }
        let data: [String: Any] = [
            "question": "Revoke the API key \"\(key.name ?? "")\"?",
            "consequence": "Anything still using it is refused from now on. This cannot be undone.",
            "action": "\(context.basePath)/admin/api-keys/\(id)/revoke", "button": "Revoke key", "cancel": "\(context.basePath)/admin/api-keys",
        ]
        return pages.page(context, "admin/confirm", title: "Revoke API key", section: "admin", data: data)
    }

    private func revoke(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        _ = try await context.submittedForm(request)
        let id = try context.recordID(entity: "API key")
        guard try await tokens(context).revoke(id, ownedBy: nil, by: context.actor) else { throw RecordChanges.notFound("API key") }
        return Pages.seeOther(context.basePath + "/admin/api-keys?done=revoked")
    }
}
