import ClinicBoxCore
import Crypto
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Two-factor sign-in through the real stack: enrolment on pages, then codes computed here as an authenticator
/// app computes them — from the base32 secret of the scanned address, by RFC 6238 written out below, not by the
/// library the server uses.
@Suite struct TwoFactorTests {
    /// RFC 6238 with SHA-1 and six digits, for the 30-second step holding `time`.
    static func code(base32 secret: String, at time: Date) -> String {
        let key = SymmetricKey(data: base32Decoded(secret))
        let counter = UInt64(time.timeIntervalSince1970) / 30
        let message = withUnsafeBytes(of: counter.bigEndian) { Data($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: key))
        let offset = Int(mac[19] & 0x0F)
        let number = (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        return String(format: "%06d", number % 1_000_000)
    }

    static func base32Decoded(_ text: String) -> Data {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var (bits, count, bytes) = (0, 0, [UInt8]())
        for character in text.uppercased() {
            guard let value = alphabet.firstIndex(of: character) else { continue }
            bits = bits << 5 | value
            count += 5
            if count >= 8 {
                bytes.append(UInt8((bits >> (count - 8)) & 0xFF))
                count -= 8
            }
        }
        return Data(bytes)
    }

    /// The RFC's own test vector (its key is the ASCII of "12345678901234567890"): the helper above, and the server's
    /// check of a code, agree with it.
    @Test func codesFollowRFC6238() {
        let key = "12345678901234567890"
        let base32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        #expect(Self.code(base32: base32, at: Date(timeIntervalSince1970: 59)) == "287082")
        #expect(Self.code(base32: base32, at: Date(timeIntervalSince1970: 1_111_111_109)) == "081804")
        #expect(TwoFactor.acceptedStep("287 082", secret: key, after: nil, now: Date(timeIntervalSince1970: 59)) == 1)
        // One step either side is accepted, two are not; a step at or before the last one used never is.
        #expect(TwoFactor.acceptedStep("287082", secret: key, after: nil, now: Date(timeIntervalSince1970: 89)) == 1)
        #expect(TwoFactor.acceptedStep("287082", secret: key, after: nil, now: Date(timeIntervalSince1970: 119)) == nil)
        #expect(TwoFactor.acceptedStep("287082", secret: key, after: 1, now: Date(timeIntervalSince1970: 59)) == nil)
        #expect(TwoFactor.acceptedStep("28708", secret: key, after: nil, now: Date(timeIntervalSince1970: 59)) == nil)
    }

    static func unescaped(_ html: String) -> String {
        html.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&quot;", with: "\"")
    }

    static func token(_ client: any TestClientProtocol, _ fields: [String: String]) async throws -> TestResponse {
        let body = try JSONSerialization.data(
            withJSONObject: ["email": "clinician@example.com", "password": TestUsers.password].merging(fields) { $1 }
        )
        return try await client.execute(
            uri: "/t/clinic/api/v1/auth/token",
            method: .post,
            headers: [.contentType: "application/json"],
            body: ByteBuffer(bytes: body)
        )
    }

    @Test func aClinicianTurnsItOnThenSignsInWithCodesAndRecoveryCodes() async throws {
        try await ClinicScenario(features: ["patients"]).run { session in
            var phone = WebBrowser(session.client)
            try await phone.signIn(tenant: "clinic", email: "clinician@example.com", password: TestUsers.password)
            #expect(try await phone.get("/t/clinic/").cells.contains(#"<a href="/t/clinic/account/two-factor">Two-factor sign-in</a>"#))
            #expect(try await phone.get("/t/clinic/account/two-factor").cells.contains("Set up two-factor sign-in"))
            let shown = try await phone.post("/t/clinic/account/two-factor/start", [:])
            let page = Self.unescaped(shown.text)
            #expect(page.contains(#"<svg class="qr""#) && page.contains(#"aria-label="QR code for your authenticator app""#))
            let address = try #require(page.range(of: #"otpauth://[^<"]+"#, options: .regularExpression).map { String(page[$0]) })
            #expect(address.hasPrefix("otpauth://totp/Tenant%20clinic:clinician@example.com?secret="))
            let secret = try #require(URLComponents(string: address)?.queryItems?.first { $0.name == "secret" }?.value)
            #expect(page.contains(stride(from: 0, to: 8, by: 4).map { String(secret.dropFirst($0).prefix(4)) }.joined(separator: " ")))
            // A reload shows the same secret until it is confirmed.
            #expect(Self.unescaped(try await phone.get("/t/clinic/account/two-factor").text).contains(address))

            let wrong = try await phone.post("/t/clinic/account/two-factor", ["code": "000000"])
            #expect(wrong.status == .unprocessableContent && wrong.cells.contains("That code does not match"))
            let now = Date()
            let confirmed = try await phone.post("/t/clinic/account/two-factor", ["code": Self.code(base32: secret, at: now)])
            #expect(confirmed.status == .ok && confirmed.cells.contains("Two-factor sign-in is on"))
            let recovery = confirmed.text.ranges(of: /<li><code>([a-z0-9]{5}-[a-z0-9]{5})<\/code><\/li>/).map {
                String(confirmed.text[$0].dropFirst(10).prefix(11))
            }
            #expect(recovery.count == 10 && Set(recovery).count == 10)
            #expect(try await phone.get("/t/clinic/account/two-factor").cells.contains("10 recovery codes are left"))

            // Pages: the password, then the code. The code that confirmed is used up; the app's next one works.
            var desk = WebBrowser(session.client)
            let password = try await desk.signIn(tenant: "clinic", email: "clinician@example.com", password: TestUsers.password)
            #expect(password.status == .seeOther && password.headers[.location] == "/t/clinic/login/code")
            #expect(try await desk.get("/t/clinic/").status == .seeOther)  // not signed in yet
            #expect(try await desk.get("/t/clinic/login/code").cells.contains(#"autocomplete="one-time-code""#))
            let replayed = try await desk.post("/t/clinic/login/code", ["code": Self.code(base32: secret, at: now)])
            #expect(replayed.status == .unauthorized && replayed.cells.contains("That code is wrong or was already used"))
            let signedIn = try await desk.post("/t/clinic/login/code", ["code": Self.code(base32: secret, at: now + 30)])
            #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/t/clinic/")
            #expect(try await desk.get("/t/clinic/").status == .ok)

            // The API: the code is a field; a recovery code works exactly once.
            let withoutCode = try await Self.token(session.client, [:])
            #expect(withoutCode.status == .unauthorized && withoutCode.fieldErrors["code"] != nil)
            #expect(try await Self.token(session.client, ["code": recovery[0]]).status == .ok)
            #expect(try await Self.token(session.client, ["code": recovery[0]]).status == .unauthorized)
            #expect(try await Self.token(session.client, ["code": recovery[1].uppercased().replacingOccurrences(of: "-", with: " ")]).status == .ok)
            #expect(try await phone.get("/t/clinic/account/two-factor").cells.contains("8 recovery codes are left"))
            // Wrong codes are throttled like wrong passwords.
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<8 { statuses.append(try await Self.token(session.client, ["code": "123456"]).status) }
            #expect(statuses.first == .unauthorized && statuses.contains(.tooManyRequests))

            let audit = try await session.signIn(as: .admin).get("audit?limit=50").text
            #expect(audit.contains("user.two_factor_on") && audit.contains("auth.second_factor_failed") && audit.contains("recovery code, 8 left"))
        }
    }

    /// Turns it on for `email` through the pages and answers the secret as the app scanned it.
    static func enrol(_ client: any TestClientProtocol, _ email: String) async throws -> String {
        var phone = WebBrowser(client)
        try await phone.signIn(tenant: "clinic", email: email, password: TestUsers.password)
        try await phone.get("/t/clinic/account/two-factor")
        let page = unescaped(try await phone.post("/t/clinic/account/two-factor/start", [:]).text)
        let address = try #require(page.range(of: #"otpauth://[^<"]+"#, options: .regularExpression).map { String(page[$0]) })
        let secret = try #require(URLComponents(string: address)?.queryItems?.first { $0.name == "secret" }?.value)
        #expect(try await phone.post("/t/clinic/account/two-factor", ["code": code(base32: secret, at: Date())]).status == .ok)
        return secret
    }

    @Test func anAdminOrTheCommandLineTurnsItOffForALostPhone() async throws {
        let clinic = try await ClinicScenario(features: ["patients"])
        try await clinic.run { session in
            _ = try await Self.enrol(session.client, "staff@example.com")
            let signedIn = try await Self.token(session.client, ["email": "staff@example.com", "code": "000000"])
            #expect(signedIn.status == .unauthorized)
            var admin = WebBrowser(session.client)
            try await admin.signIn(tenant: "clinic", email: "admin@example.com", password: TestUsers.password)
            let database = try await clinic.server.databases.database(for: TenantID("clinic")!, creating: false)
            let id = try #require(
                try await database.read { db in try Int.fetchOne(db, sql: "SELECT id FROM users WHERE email = 'staff@example.com'") }
            )
            let edit = try await admin.get("/t/clinic/admin/users/\(id)/edit").cells
            #expect(edit.contains(#"<a href="/t/clinic/admin/users/\#(id)/two-factor">Turn it off</a>"#))
            #expect(
                try await admin.get("/t/clinic/admin/users/\(id)/two-factor").cells.contains("Turn off two-factor sign-in for staff@example.com?")
            )
            let done = try await admin.post("/t/clinic/admin/users/\(id)/two-factor", [:])
            #expect(done.status == .seeOther && done.headers[.location] == "/t/clinic/admin/users?done=two-factor")
            #expect(!(try await admin.get("/t/clinic/admin/users/\(id)/edit").cells.contains("Turn it off")))
            // The password alone signs in again; the turning off is in the audit trail.
            #expect(try await Self.token(session.client, ["email": "staff@example.com"]).status == .ok)
            #expect(try await session.signIn(as: .admin).get("audit?limit=20").text.contains("user.two_factor_reset"))

            // The last admin, locked out: the command line on the box.
            _ = try await Self.enrol(session.client, "admin@example.com")
            #expect(try await Self.token(session.client, ["email": "admin@example.com"]).status == .unauthorized)
            let folders = ["--tenant", "clinic", "--tenants", clinic.workspace.tenants, "--data", clinic.workspace.data]
            let reset = try await ClinicBoxBinary.run(["user", "reset-2fa", "--email", "admin@example.com"] + folders, in: clinic.workspace.root)
            #expect(reset.output == "two-factor sign-in turned off for admin@example.com\n")
            #expect(try await Self.token(session.client, ["email": "admin@example.com"]).status == .ok)
            let again = try await ClinicBoxBinary.run(["user", "reset-2fa", "--email", "admin@example.com"] + folders, in: clinic.workspace.root)
            #expect(again.output == "admin@example.com had no two-factor sign-in\n")

            // Disabled between the password and the code: the code no longer signs in.
            let secret = try await Self.enrol(session.client, "clinician@example.com")
            var late = WebBrowser(session.client)
            try await late.signIn(tenant: "clinic", email: "clinician@example.com", password: TestUsers.password)
            try await late.get("/t/clinic/login/code")
            try await database.write { db in try db.execute(sql: "UPDATE users SET active = 0 WHERE email = 'clinician@example.com'") }
            #expect(try await late.post("/t/clinic/login/code", ["code": Self.code(base32: secret, at: Date() + 30)]).status == .unauthorized)
        }
    }

    @Test func theTenantsPolicyForcesSetUpForItsRolesAndEndsIdleSessions() async throws {
        let clinic = try await ClinicScenario(
            features: ["patients"],
            extra: "security: {require_two_factor: [admin], session_idle_minutes: 1, session_max_hours: 2}"
        )
        try await clinic.run { session in
            var admin = WebBrowser(session.client)
            try await admin.signIn(tenant: "clinic", email: "admin@example.com", password: TestUsers.password)
            for page in ["/t/clinic/", "/t/clinic/patients", "/t/clinic/admin/users"] {
                let answer = try await admin.get(page)
                #expect(answer.status == .seeOther && answer.headers[.location] == "/t/clinic/account/two-factor", "\(page)")
            }
            #expect(try await admin.get("/t/clinic/account/two-factor").status == .ok)
            let refused = try await Self.token(session.client, ["email": "admin@example.com"])
            #expect(refused.status == .forbidden && refused.text.contains("requires two-factor sign-in for admins"))
            // Other roles are not asked.
            #expect(try await Self.token(session.client, ["email": "staff@example.com"]).status == .ok)
            let secret = try await Self.enrol(session.client, "admin@example.com")
            #expect(try await admin.get("/t/clinic/patients").status == .ok)
            let code = Self.code(base32: secret, at: Date() + 30)
            #expect(try await Self.token(session.client, ["email": "admin@example.com", "code": code]).status == .ok)

            // A minute without a request ends the page session; the sign-in page says so and leads back.
            var desk = WebBrowser(session.client)
            let signedIn = try await desk.signIn(tenant: "clinic", email: "staff@example.com", password: TestUsers.password)
            #expect(signedIn.headers[.setCookie]?.contains("Max-Age=7200") == true)
            #expect(try await desk.get("/t/clinic/patients").status == .ok)
            let database = try await clinic.server.databases.database(for: TenantID("clinic")!, creating: false)
            try await database.write { db in
                try db.execute(
                    sql: "UPDATE sessions SET last_seen_at = ? WHERE ended_at IS NULL",
                    arguments: [Timestamp.string(Date().addingTimeInterval(-90))]
                )
            }
            let away = try await desk.get("/t/clinic/patients")
            #expect(away.status == .seeOther && away.headers[.location] == "/t/clinic/login?next=/t/clinic/patients")
            let login = try await desk.get("/t/clinic/login?next=/t/clinic/patients")
            #expect(login.cells.contains("You were signed out after a minute without activity"))
            let back = try await desk.post(
                "/t/clinic/login",
                ["email": "staff@example.com", "password": TestUsers.password, "next": "/t/clinic/patients"]
            )
            #expect(back.status == .seeOther && back.headers[.location] == "/t/clinic/patients")
            // A fresh visit to the sign-in page, with no session cookie, says nothing of the kind.
            var stranger = WebBrowser(session.client)
            #expect(!(try await stranger.get("/t/clinic/login").cells.contains("signed out after")))
        }
    }
}
