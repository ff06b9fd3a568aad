import Hummingbird

/// The body of a sign-in request, `{"email", "password"}`, for tenant users and system administrators alike.
package struct Credentials {
    package var email: String
    package var password: String

    package static func read(_ request: Request) async throws -> Credentials {
        var fields = try await RequestFields.read(request, allowed: ["email", "password"])
        let email = fields.text("email", required: true, maxLength: 254)
        let password = fields.secret("password")
        try fields.finish()
        return Credentials(email: email ?? "", password: password ?? "")
    }
}
