import Foundation
import Hummingbird
import Mustache

/// `/admin/api-keys`: keys for integrations (a lab system, a website), made by an admin and acting as that admin.
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

        package static let templateNames: TemplateNames<Line> = [
            "name": { $0.key.name ?? "(no name)" },
            "user": { $0.key.userEmail },
            "created": { $0.time.moment($0.key.createdAt) },
            "lastUsed": { $0.key.lastUsedAt.map($0.time.moment) ?? "never" },
            "revokeHref": { "\($0.base)/admin/api-keys/\($0.key.id)/revoke" },
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
        name: String = "",
        error: String? = nil,
        status: HTTPResponse.Status = .ok,
        flash: String? = nil
    ) async throws -> Response {
        let keys = try await tokens(context).list(userID: nil).filter { $0.kind == AccessTokens.Kind.apiKey.rawValue }
        let field = FormField(
            name: "name",
            label: "What the key is for (e.g. lab results import)",
            value: name,
            required: true,
            autocomplete: "off",
            error: error
        )
        var data: [String: Any] = [
            "keys": keys.map { Line(key: $0, base: context.basePath, time: context.tenant.readableTime) }, "hasKeys": !keys.isEmpty, "field": field,
        ]
        if let newKey { data["newKey"] = newKey }
        return pages.page(context, "admin/api-keys", title: "API keys", section: "admin", data: data, status: status, flash: flash)
    }

    private func create(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let name = body["name"]?.trimmingSpaces ?? ""
        guard (1...100).contains(name.count) else {
            return try await page(context, name: name, error: "give the key a name of 1 to 100 characters", status: .unprocessableContent)
        }
        let issued = try await tokens(context).issue(for: context.user, kind: .apiKey, name: name, by: context.actor)
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
