import Foundation
import HTTPTypes
import Hummingbird

/// `GET/POST /setup?token=…`: the first admin of a tenant, made through a link the server printed (`SetupLinks`).
/// Without a live link it is a page that says where links come from, with status 404, whatever was wrong with it.
package struct SetupPages {
    package let links: SetupLinks
    package let login: LoginPages
    package let pages: Pages
    /// Double-submit cookie guarding the form, as on the sign-in page.
    package static let formCookie = "cbx_setup"

    package var endpoints: [Endpoint<TenantRequestContext>] {
        [
            .page(.get, "setup", "first admin form", allowing: "anyone with a live setup link", template: "setup", use: showForm),
            .page(.post, "setup", "create the first admin", allowing: "anyone with a live setup link", use: create),
        ]
    }

    package func showForm(_ request: Request, _ context: TenantRequestContext) async throws -> Response {
        let token = request.uri.queryParameters.get("token") ?? ""
        let valid = links.isValid(token, for: context.tenant.id)
        if !valid, !token.isEmpty { await context.noteRefused(token, .setupLink, request) }
        guard try await links.awaitsAdmin(context.storage) else { return refused(context, hasAdmin: true) }
        guard valid else { return refused(context, hasAdmin: false) }
        return form(context, token: token, values: [:], errors: [:])
    }

    private func create(_ request: Request, _ context: TenantRequestContext) async throws -> Response {
        let form = try await FormBody.read(request)
        try CSRFCheck.verify(request, formToken: form["csrf_token"], expected: request.cookies[Self.formCookie]?.value)
        let token = form["token"] ?? ""
        let tenant = context.tenant.id
        guard links.claim(token, for: tenant) else {
            if !token.isEmpty { await context.noteRefused(token, .setupLink, request) }
            return refused(context, hasAdmin: try await SetupLinks.hasAdmin(context.storage))
        }
        var values = form.values
        values["password"] = nil  // never sent back to the browser
        values["password_again"] = nil
        let password = form["password"] ?? ""
        if password != form["password_again"] ?? "" {
            links.release(token, for: tenant)
            return self.form(
                context,
                token: token,
                values: values,
                errors: ["password_again": "the two passwords differ; type the same one twice"],
                status: .unprocessableContent
            )
        }
        let email = form["email"]?.trimmingSpaces ?? ""
        let new = UserAccounts.NewUser(
            email: email,
            displayName: form["display_name"]?.trimmingSpaces ?? "",
            role: .admin,
            password: password
        )
        let actor = AuditActor(email: AuditActor.setupLink, clientAddress: context.clientAddress, requestID: context.anonymousActor.requestID)
        do {
            let accounts = UserAccounts(tenant: context.tenant.definition, database: try await context.storage.creatingDatabase())
            let user = try await accounts.create(new, by: actor, onlyAsFirstAdmin: true)
            links.spend(for: tenant)
            let signedIn = AuthenticatedUser(signingIn: user)
            var response = try await login.startSession(
                for: signedIn,
                context,
                device: request.headers[.userAgent],
                goingTo: context.basePath + "/"
            )
            response.headers.append(HTTPField(name: .setCookie, value: login.cookie(Self.formCookie, "", context, maxAge: 0)))
            return response
        } catch let error as AccountError {
            links.release(token, for: tenant)
            return self.form(context, token: token, values: values, errors: error.fieldErrors, status: .unprocessableContent)
        } catch is UserAccounts.AdminExists {
            links.spend(for: tenant)
            return refused(context, hasAdmin: true)
        } catch {
            links.release(token, for: tenant)
            throw error
        }
    }

    private func form(
        _ context: TenantRequestContext,
        token: String,
        values: [String: String],
        errors: [String: String],
        status: HTTPResponse.Status = .ok
    ) -> Response {
        let csrf = AccessTokens.randomSecret()
        let fields = [
            FormField(
                name: "display_name",
                label: "Your name",
                value: values["display_name"] ?? "",
                required: true,
                autocomplete: "name",
                error: errors["display_name"]
            ),
            FormField.email(values, errors, autocomplete: "username"),
            FormField(
                name: "password",
                label: "Password (at least \(PasswordPolicy.minimumLength) characters; a few unrelated words work well)",
                kind: .input(type: "password"),
                required: true,
                autocomplete: "new-password",
                error: errors["password"]
            ),
            FormField(
                name: "password_again",
                label: "The same password again",
                kind: .input(type: "password"),
                required: true,
                autocomplete: "new-password",
                error: errors["password_again"]
            ),
        ]
        let data: [String: Any] = [
            "form": ["csrf": csrf, "token": token, "fields": fields, "hasErrors": !errors.isEmpty] as [String: Any],
            "name": context.tenant.definition.name,
        ]
        return pages.publicPage(
            context,
            "setup",
            title: "Set up \(context.tenant.definition.name)",
            data: data,
            status: status,
            headers: [.setCookie: login.cookie(Self.formCookie, csrf, context, maxAge: 3600)]
        )
    }

    /// Not found, in words: what may be wrong with the link, and where a good one comes from.
    private func refused(_ context: TenantRequestContext, hasAdmin: Bool) -> Response {
        let data: [String: Any] = [
            "refused": ["hasAdmin": hasAdmin, "tenant": context.tenant.id.rawValue] as [String: Any], "name": context.tenant.definition.name,
        ]
        return pages.publicPage(context, "setup", title: "Setup link not valid", data: data, status: .notFound)
    }
}

extension AuditActor {
    /// Who made an admin through a setup link: no user yet, so the audit trail names the link.
    package static let setupLink = "setup"
}
