import Foundation
import Hummingbird
import Mustache

/// `/admin/users`: the tenant's users for its admins — list, create, reset a password, disable (after a
/// confirmation). Every change goes through `UserAccounts`, so it is audited like the command line's.
package struct UserAdminPages {
    package let pages: Pages

    package var endpoints: [Endpoint<PageRequestContext>] {
        [
            .page(.get, "", "list", action: Permissions.manageUsers, template: "admin/users", use: list),
            .page(.get, "new", "new form", action: Permissions.manageUsers, template: "admin/user-form", use: newForm),
            .page(.post, "", "create", action: Permissions.manageUsers, use: create),
            .page(.get, "{id}/password", "password form", action: Permissions.manageUsers, template: "admin/password", use: passwordForm),
            .page(.post, "{id}/password", "reset password", action: Permissions.manageUsers, use: resetPassword),
            .page(.get, "{id}/edit", "edit form", action: Permissions.manageUsers, template: "admin/user-edit", use: editForm),
            .page(.post, "{id}/edit", "change", action: Permissions.manageUsers, use: change),
            .page(.get, "{id}/disable", "confirm disable", action: Permissions.manageUsers, template: "admin/confirm", use: confirmDisable),
            .page(.post, "{id}/disable", "disable", action: Permissions.manageUsers, use: disable),
            .page(
                .get,
                "{id}/two-factor",
                "confirm turning off two-factor sign-in",
                action: Permissions.manageUsers,
                template: "admin/confirm",
                use: confirmResetTwoFactor
            ),
            .page(.post, "{id}/two-factor", "turn off two-factor sign-in", action: Permissions.manageUsers, use: resetTwoFactor),
            .page(.post, "{id}/sessions/end", "end the user's sessions", action: Permissions.manageUsers, use: endSessions),
        ]
    }

    package struct Line: TemplateValues {
        package var user: User
        package var base: String
        package var tenant: Tenant

        package static let templateNames: TemplateNames<Line> = [
            "email": { $0.user.email },
            "name": { $0.user.displayName },
            "role": { $0.user.practitioner && $0.user.role != .clinician ? "\($0.user.role.rawValue), sees patients" : $0.user.role.rawValue },
            "branches": { $0.user.branches.isEmpty ? "all branches" : $0.user.branches.map($0.tenant.branchName).joined(separator: ", ") },
            "active": { $0.user.active },
            "passwordHref": { "\($0.base)/admin/users/\($0.user.id)/password" },
            "editHref": { "\($0.base)/admin/users/\($0.user.id)/edit" },
            "disableHref": { "\($0.base)/admin/users/\($0.user.id)/disable" },
        ]
    }

    private func accounts(_ context: PageRequestContext) async throws -> UserAccounts {
        UserAccounts(tenant: context.tenant.definition, database: try await context.storage.database())
    }

    private func list(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let users = try await accounts(context).list().map { Line(user: $0, base: context.basePath, tenant: context.tenant) }
        let notice: String? =
            switch request.uri.queryParameters.get("done") {
            case "created": "User created."
            case "password": "Password changed; the user's sessions and sign-in tokens have ended."
            case "changed": "Changes saved; they apply from the user's next page."
            case "two-factor": "Two-factor sign-in turned off; the user's sessions and sign-in tokens have ended."
            case "sessions": "The user's sessions have ended; they sign in again."
            case "disabled": "User disabled; they can no longer sign in."
            default: nil
            }
        return pages.page(context, "admin/users", title: "Users", section: "admin", data: ["users": users] as [String: Any], flash: notice)
    }

    private func user(_ context: PageRequestContext) async throws -> User {
        let id = try context.recordID(entity: "user")
        guard let user = try await accounts(context).list().first(where: { $0.id == id }) else { throw RecordChanges.notFound("user") }
        return user
    }

    private func newForm(_: Request, _ context: PageRequestContext) async throws -> Response {
        form(context, values: ["role": Role.staff.rawValue], errors: [:])
    }

    private func create(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        guard let role = Role(rawValue: body["role"] ?? "") else {
            return form(context, values: body.values, errors: ["role": "choose one of the roles"], status: .unprocessableContent)
        }
        let branches = context.tenant.definition.branches.map(\.code).filter { body["branch_\($0)"] != nil }
        let new = UserAccounts.NewUser(
            email: body["email"] ?? "",
            displayName: body["display_name"] ?? "",
            role: role,
            branches: branches,
            password: body["password"] ?? "",
            practitioner: body["practitioner"] != nil,
            registrationNumber: body["registration_number"]
        )
        do {
            _ = try await accounts(context).create(new, by: context.actor)
            return Pages.seeOther(context.basePath + "/admin/users?done=created")
        } catch let error as AccountError {
            var values = body.values
            values["password"] = nil  // never sent back to the browser
            return form(context, values: values, errors: error.fieldErrors, status: .unprocessableContent)
        }
    }

    private func form(
        _ context: PageRequestContext,
        values: [String: String],
        errors: [String: String],
        status: HTTPResponse.Status = .ok
    ) -> Response {
        let roles = Role.allCases.map { ($0.rawValue, $0.rawValue.capitalized) }
        let fields = [
            FormField.email(values, errors, autocomplete: "off"),
            FormField(name: "display_name", label: "Name", value: values["display_name"] ?? "", required: true, error: errors["display_name"]),
            FormField(name: "role", label: "Role", kind: .select(options: roles), value: values["role"] ?? "", required: true, error: errors["role"]),
            FormField(
                name: "password",
                label: "Password (at least \(PasswordPolicy.minimumLength) characters)",
                kind: .input(type: "password"),
                required: true,
                autocomplete: "new-password",
                error: errors["password"]
            ),
            Self.practitionerField(values),
            Self.registrationField(values, errors),
        ]
        let branches = context.tenant.definition.branches.map { branch in
            FormField(name: "branch_\(branch.code)", label: branch.name, kind: .checkbox, value: values["branch_\(branch.code)"] == nil ? "" : "true")
        }
        var data: [String: Any] = ["fields": fields, "branches": branches, "hasBranches": !branches.isEmpty, "hasErrors": !errors.isEmpty]
        if let branchError = errors["branches"] { data["branchError"] = branchError }
        return pages.page(context, "admin/user-form", title: "New user", section: "admin", data: data, status: status)
    }

    package func editForm(_: Request, _ context: PageRequestContext) async throws -> Response { try await editFormPage(context) }

    package func editFormPage(_ context: PageRequestContext, refused: FormRefusal? = nil) async throws -> Response {
        let (values, errors, status) = (refused?.values, refused?.errors ?? [:], refused?.status ?? .ok)
        let user = try await user(context)
        var current = values ?? ["role": user.role.rawValue, "display_name": user.displayName]
        if values == nil {
            for code in user.branches { current["branch_\(code)"] = "true" }
            if user.practitioner { current["practitioner"] = "true" }
            current["registration_number"] = user.registrationNumber
        }
        let fields = [
            FormField(name: "display_name", label: "Name", value: current["display_name"] ?? "", required: true, error: errors["display_name"]),
            FormField(
                name: "role",
                label: "Role",
                kind: .select(options: Role.allCases.map { ($0.rawValue, $0.rawValue.capitalized) }),
                value: current["role"] ?? "",
                required: true,
                error: errors["role"]
            ),
            Self.practitionerField(current),
            Self.registrationField(current, errors),
        ]
        let branches = context.tenant.definition.branches.map { branch in
            FormField(
                name: "branch_\(branch.code)",
                label: branch.name,
                kind: .checkbox,
                value: current["branch_\(branch.code)"] == nil ? "" : "true"
            )
        }
        var data: [String: Any] = ["email": user.email, "fields": fields, "branches": branches, "hasBranches": !branches.isEmpty]
        if let error = errors["branches"] { data["branchError"] = error }
        let (userID, security) = (user.id, context.tenant.definition.security)
        let (twoFactor, sessions) = try await context.storage.database().read { db in
            (try TwoFactor.isOn(userID: userID, db), try OpenSession.all(of: userID, security: security, db))
        }
        if twoFactor { data["twoFactorReset"] = "\(context.basePath)/admin/users/\(user.id)/two-factor" }
        data["sessions"] = SessionPages.rows(sessions, context, current: context.session.id, endable: false)
        data["hasSessions"] = !sessions.isEmpty
        data["endSessions"] = "\(context.basePath)/admin/users/\(user.id)/sessions/end"
        return pages.page(context, "admin/user-edit", title: "Change \(user.displayName)", section: "admin", data: data, status: status)
    }

    /// Clinicians always see patients; anyone else only when ticked here.
    private static func practitionerField(_ values: [String: String]) -> FormField {
        FormField(
            name: "practitioner",
            label: "Sees patients (offered as a practitioner when booking; clinicians always are)",
            kind: .checkbox,
            value: values["practitioner"] == nil ? "" : "true"
        )
    }

    private static func registrationField(_ values: [String: String], _ errors: [String: String]) -> FormField {
        FormField(
            name: "registration_number",
            label: "Professional registration number (printed on their prescriptions)",
            value: values["registration_number"] ?? "",
            autocomplete: "off",
            error: errors["registration_number"]
        )
    }

    private func change(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let user = try await user(context)
        guard let role = Role(rawValue: body["role"] ?? "") else {
            return try await editFormPage(
                context,
                refused: FormRefusal(
                    form: "edit",
                    values: body.values,
                    errors: ["role": "choose one of the roles"],
                    message: nil,
                    status: .unprocessableContent
                )
            )
        }
        let branches = context.tenant.definition.branches.map(\.code).filter { body["branch_\($0)"] != nil }
        let change = UserAccounts.Change(
            displayName: body["display_name"] ?? "",
            role: role,
            branches: branches,
            practitioner: body["practitioner"] != nil,
            registrationNumber: body["registration_number"]
        )
        do {
            try await accounts(context).change(email: user.email, to: change, by: context.actor)
            return Pages.seeOther(context.basePath + "/admin/users?done=changed")
        } catch let error as AccountError {
            return try await editFormPage(
                context,
                refused: FormRefusal(form: "edit", values: body.values, errors: error.fieldErrors, message: nil, status: .unprocessableContent)
            )
        }
    }

    package func passwordForm(_: Request, _ context: PageRequestContext) async throws -> Response { try await passwordFormPage(context) }

    package func passwordFormPage(_ context: PageRequestContext, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let user = try await user(context)
        let field = FormField(
            name: "password",
            label: "New password for \(user.email)",
            kind: .input(type: "password"),
            required: true,
            autocomplete: "new-password",
            error: error
        )
        return pages.page(
            context,
            "admin/password",
            title: "Reset password",
            section: "admin",
            data: ["field": field, "email": user.email] as [String: Any],
            status: status
        )
    }

    private func resetPassword(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let user = try await user(context)
        do {
            try await accounts(context).setPassword(email: user.email, to: body["password"] ?? "", by: context.actor)
            return Pages.seeOther(context.basePath + "/admin/users?done=password")
        } catch let error as AccountError {
            return try await passwordFormPage(context, error: error.fieldErrors["password"], status: .unprocessableContent)
        }
    }

    private func confirmResetTwoFactor(_: Request, _ context: PageRequestContext) async throws -> Response {
        let user = try await user(context)
        let data: [String: Any] = [
            "question": "Turn off two-factor sign-in for \(user.email)?",
            "consequence":
                "Do this when their phone is lost and no recovery code is left. Their sessions end now; they sign in with the password alone and set up two-factor sign-in again.",
            "action": "\(context.basePath)/admin/users/\(user.id)/two-factor", "button": "Turn off two-factor sign-in",
            "cancel": "\(context.basePath)/admin/users/\(user.id)/edit",
        ]
        return pages.page(context, "admin/confirm", title: "Turn off two-factor sign-in", section: "admin", data: data)
    }

    private func resetTwoFactor(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        _ = try await context.submittedForm(request)
        let user = try await user(context)
        try await accounts(context).resetTwoFactor(email: user.email, by: context.actor)
        return Pages.seeOther(context.basePath + "/admin/users?done=two-factor")
    }

    /// Ends every page session of the user (a PC left signed in, a session someone else may be using).
    private func endSessions(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        _ = try await context.submittedForm(request)
        let (user, actor) = (try await user(context), context.actor)
        _ = try await context.storage.database().write { db in try OpenSession.end(nil, of: user.id, actor: actor, db) }
        return Pages.seeOther(context.basePath + "/admin/users?done=sessions")
    }

    private func confirmDisable(_: Request, _ context: PageRequestContext) async throws -> Response {
        let user = try await user(context)
        let data: [String: Any] = [
            "question": "Disable \(user.email)?",
            "consequence": "They can no longer sign in and their sessions end now. Their records and history stay.",
            "action": "\(context.basePath)/admin/users/\(user.id)/disable", "button": "Disable user", "cancel": "\(context.basePath)/admin/users",
        ]
        return pages.page(context, "admin/confirm", title: "Disable user", section: "admin", data: data)
    }

    private func disable(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        _ = try await context.submittedForm(request)
        let user = try await user(context)
        try await accounts(context).disable(email: user.email, by: context.actor)
        return Pages.seeOther(context.basePath + "/admin/users?done=disabled")
    }
}
