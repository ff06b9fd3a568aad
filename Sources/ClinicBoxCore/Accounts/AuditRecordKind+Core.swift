import GRDB

extension AuditRecordKind {
    /// The records every tenant has: users, sign-ins, tokens, refusals and the tenant file.
    package static let core: [AuditRecordKind] = [
        AuditRecordKind(
            type: "user",
            label: "Users",
            verbs: [
                "user.created": "added the user {}", "user.changed": "changed the account of {}", "user.disabled": "disabled the user {}",
                "user.password_changed": "changed the password of {}", "auth.login": "signed in",
                "auth.login_failed": "failed to sign in", "auth.login_throttled": "was held back after too many failed sign-ins",
                "auth.second_factor_failed": "gave a wrong sign-in code", "user.two_factor_on": "turned on two-factor sign-in for {}",
                "user.two_factor_reset": "turned off two-factor sign-in for {}", "auth.sessions_ended": "ended every session of {}",
            ],
            verbForChanges: { action, changes in
                let email = changes.after("email") ?? "an unknown email"
                switch action {
                case "auth.login_failed": return "failed to sign in as \(email)"
                case "auth.login_throttled": return "was held back after too many failed sign-ins as \(email)"
                case "auth.second_factor_failed": return "gave a wrong sign-in code as \(email)"
                default: return nil
                }
            },
            names: names(
                // By name, as everywhere; the e-mail is on the user's page the name links to.
                select: "display_name",
                from: "users",
                idColumn: "id",
                name: { row, _ in row["display_name"] as String },
                path: { row in "/admin/users/\(row["audit_id"] as Int64)/edit" }
            )
        ),
        AuditRecordKind(
            type: "session",
            label: "Sign-ins",
            verbs: ["auth.session_started": "signed in to the pages", "auth.logout": "signed out", "auth.session_ended": "ended a session"]
        ),
        AuditRecordKind(
            type: "access_token",
            label: "Tokens and API keys",
            verbs: [
                "auth.token_issued": "was given an API token", "auth.api_key_created": "created {}", "auth.token_revoked": "revoked {}",
                "auth.key_address_refused": "was refused {} from an address it may not be used from",
            ],
            names: names(
                select: "kind, name",
                from: "access_tokens",
                idColumn: "id",
                name: { row, _ in row["kind"] == "api_key" ? "the API key “\(row["name"] as String? ?? "")”" : "an API token" },
                path: { _ in "/admin/api-keys" }
            )
        ),
        AuditRecordKind(
            type: "permission",
            label: "Refusals",
            verbs: ["auth.denied": "was refused {}"],
            names: { _, ids, tenant in
                Dictionary(uniqueKeysWithValues: ids.map { ($0, AuditRecordName(text: "permission to \(tenant.permissions.doing($0) ?? $0)")) })
            }
        ),
        AuditRecordKind(
            type: "branch",
            label: "Branch refusals",
            verbs: ["auth.denied": "was refused work in {}"],
            names: { _, ids, tenant in
                Dictionary(uniqueKeysWithValues: ids.map { ($0, AuditRecordName(text: "the branch \(tenant.branchName($0))")) })
            }
        ),
        AuditRecordKind(type: "tenant", label: "Tenant file", verbs: ["tenant.config_changed": "read a changed tenant file"]),
    ]
}
