import Hummingbird

/// The body of a sign-in request, `{"email", "password"}`, for tenant users and system administrators alike; a
/// tenant user with two-factor sign-in adds `"code"` (six digits from the app, or a recovery code).
package struct Credentials {
    package var email: String
    package var password: String
    package var code: String?

    package static func read(_ request: Request, allowingCode: Bool = false) async throws -> Credentials {
        var fields = try await RequestFields.read(request, allowed: allowingCode ? ["email", "password", "code"] : ["email", "password"])
        let email = fields.text("email", required: true, maxLength: 254)
        let password = fields.secret("password")
        let code = allowingCode ? fields.text("code", maxLength: 40) : nil
        try fields.finish()
        return Credentials(email: email ?? "", password: password ?? "", code: code)
    }
}
