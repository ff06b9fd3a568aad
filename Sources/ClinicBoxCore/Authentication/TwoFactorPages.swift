import Foundation
import GRDB
import Hummingbird

/// `/account/two-factor`: a user turns on sign-in codes for their own account — an authenticator app scans the
/// QR code (or the secret is typed in), a first code confirms it, and ten recovery codes are shown once.
///
/// The secret waits in `users.totp_pending_secret` between the page that shows it and the code that confirms it,
/// so a second device or a reload shows the same one; nothing takes effect until the code is right.
package struct TwoFactorPages {
    package let pages: Pages

    package var endpoints: [Endpoint<PageRequestContext>] {
        [
            .page(.get, "account/two-factor", "two-factor sign-in", allowing: "signed in: own account", template: "account/two-factor", use: show),
            .page(.post, "account/two-factor/start", "show a new secret", allowing: "signed in: own account", use: start),
            .page(.post, "account/two-factor", "confirm with a first code", allowing: "signed in: own account", use: confirm),
        ]
    }

    private func show(_: Request, _ context: PageRequestContext) async throws -> Response {
        let userID = context.user.id
        let (isOn, pending, left) = try await context.storage.database().read { db in
            let row = try Row.fetchOne(
                db,
                sql: "SELECT totp_secret IS NOT NULL AS on_, totp_pending_secret FROM users WHERE id = ?",
                arguments: [userID]
            )
            let left = try Int.fetchOne(db, sql: "SELECT count(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL", arguments: [userID])
            return (row?["on_"] as Bool? ?? false, row?["totp_pending_secret"] as String?, left ?? 0)
        }
        if !isOn, let pending { return enrolmentPage(context, secret: pending) }
        var data: [String: Any] = ["isOn": isOn, "startAction": "\(context.basePath)/account/two-factor/start"]
        if isOn { data["left"] = left == 1 ? "1 recovery code is left" : "\(left) recovery codes are left" }
        return pages.page(context, "account/two-factor", title: "Two-factor sign-in", section: "account", data: data)
    }

    /// A new secret, kept as pending, and the page that shows it.
    private func start(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        _ = try await context.submittedForm(request)
        let (secret, userID) = (TwoFactor.newSecret(), context.user.id)
        let isOn = try await context.storage.database().write { db in
            guard try !TwoFactor.isOn(userID: userID, db) else { return true }
            try db.execute(sql: "UPDATE users SET totp_pending_secret = ? WHERE id = ?", arguments: [secret, userID])
            return false
        }
        if isOn { return Pages.seeOther("\(context.basePath)/account/two-factor") }
        return enrolmentPage(context, secret: secret)
    }

    private func enrolmentPage(_ context: PageRequestContext, secret: String, error: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let address = TwoFactor.address(secret: secret, email: context.user.email, issuer: context.tenant.definition.name)
        var data: [String: Any] = [
            "isEnrolling": true, "address": address, "typed": TwoFactor.typedSecret(address),
            "action": "\(context.basePath)/account/two-factor",
        ]
        // A clinic name of a hundred characters and more makes the address too long for a code a phone reads well.
        if let code = QRCode(address) { data["qr"] = code.svg(label: "QR code for your authenticator app") }
        if let error { data["error"] = error }
        return pages.page(context, "account/two-factor", title: "Two-factor sign-in", section: "account", data: data, status: status)
    }

    /// The first code: right, and the secret is the user's, with ten new recovery codes shown this once.
    private func confirm(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let form = try await context.submittedForm(request)
        let (userID, actor, email) = (context.user.id, context.actor, context.user.email)
        let code = form["code"] ?? ""
        enum Outcome: Sendable {
            case confirmed([String])
            case wrong(String)
            case nothingPending
        }
        let outcome = try await context.storage.database().write { db -> Outcome in
            guard let secret = try String.fetchOne(db, sql: "SELECT totp_pending_secret FROM users WHERE id = ?", arguments: [userID]) else {
                return .nothingPending
            }
            guard let step = TwoFactor.acceptedStep(code, secret: secret, after: nil) else { return .wrong(secret) }
            try db.execute(
                sql:
                    "UPDATE users SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_last_step = ?, updated_at = ? WHERE id = ?",
                arguments: [step, Timestamp.now, userID]
            )
            let codes = try RecoveryCodes.replace(for: userID, db)
            try AuditLog.record(
                db,
                actor: actor,
                action: "user.two_factor_on",
                entityType: "user",
                entityID: String(userID),
                changes: ["email": .init(before: nil, after: email)]
            )
            return .confirmed(codes)
        }
        switch outcome {
        case .nothingPending:
            return Pages.seeOther("\(context.basePath)/account/two-factor")
        case .wrong(let secret):
            return enrolmentPage(
                context,
                secret: secret,
                error: "That code does not match. Check that the phone's clock is right and write the six digits the app shows now.",
                status: .unprocessableContent
            )
        case .confirmed(let codes):
            let data: [String: Any] = ["isConfirmed": true, "codes": codes.map { ["code": $0] }]
            return pages.page(context, "account/two-factor", title: "Two-factor sign-in", section: "account", data: data)
        }
    }
}
