import Crypto
import Foundation
import GRDB
import HummingbirdOTP

/// A second factor at sign-in: six-digit codes from an authenticator app (TOTP, RFC 6238, computed by
/// `HummingbirdOTP`), or one of ten recovery codes, each good once.
///
/// A code is accepted in its 30-second step or one either side (a phone's clock a little off), and only in a step
/// after the last one accepted for that user: a code seen over a shoulder or replayed from a proxy's log is refused.
/// The step is taken in the same write that checks it, so two requests with one code cannot both pass.
package enum TwoFactor {
    /// `users.totp_secret` holds the confirmed secret (NULL: no second factor), `totp_pending_secret` the one shown
    /// on the enrolment page until a first code confirms it, `totp_last_step` the last step a code was accepted in.
    package static let schema = TenantSchema(steps: [
        .init(id: "accounts.v6") { db, _ in
            try db.execute(
                sql: """
                    ALTER TABLE users ADD COLUMN totp_secret TEXT;
                    ALTER TABLE users ADD COLUMN totp_pending_secret TEXT;
                    ALTER TABLE users ADD COLUMN totp_last_step INTEGER;
                    CREATE TABLE recovery_codes (
                        id INTEGER PRIMARY KEY,
                        user_id INTEGER NOT NULL REFERENCES users (id),
                        code_hash BLOB NOT NULL,
                        used_at TEXT,
                        UNIQUE (user_id, code_hash)
                    ) STRICT;
                    """
            )
        }
    ])

    /// 30 characters of the base32 alphabet (150 random bits). HummingbirdOTP keys the HMAC with the secret's
    /// UTF-8 bytes, and the address an app scans carries those bytes in base32.
    package static func newSecret() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var generator = SystemRandomNumberGenerator()
        return String((0..<30).map { _ in alphabet[Int(generator.next(upperBound: UInt32(alphabet.count)))] })
    }

    /// What an authenticator app scans: `otpauth://totp/<issuer>:<email>?secret=…&issuer=…`.
    package static func address(secret: String, email: String, issuer: String) -> String {
        TOTP(secret: secret).createAuthenticatorURL(label: "\(issuer):\(email)", issuer: issuer)
    }

    /// The address's secret as a person types it into an app: base32 in groups of four.
    package static func typedSecret(_ address: String) -> String {
        let secret = URLComponents(string: address)?.queryItems?.first { $0.name == "secret" }?.value ?? ""
        return stride(from: 0, to: secret.count, by: 4).map { start in
            String(secret.dropFirst(start).prefix(4))
        }.joined(separator: " ")
    }

    /// The step `code` belongs to, if it is right for `secret` now and later than `lastStep`.
    package static func acceptedStep(_ code: String, secret: String, after lastStep: Int64?, now: Date = Date()) -> Int64? {
        let digits = code.filter { !$0.isWhitespace }
        guard digits.count == 6, digits.allSatisfy(\.isASCIIDigit), let value = Int(digits) else { return nil }
        let totp = TOTP(secret: secret)
        let current = Int64(now.timeIntervalSince1970) / 30
        for step in (current - 1)...(current + 1) where step > (lastStep ?? .min) {
            if totp.compute(date: Date(timeIntervalSince1970: TimeInterval(step * 30))) == value { return step }
        }
        return nil
    }

    /// Checks `code` — six digits, or a recovery code — for `userID` and uses it up: how, when it was good. A user
    /// disabled since their password was checked has no good code.
    package static func use(_ code: String, userID: Int64, _ db: Database) throws -> Use? {
        guard
            let row = try Row.fetchOne(db, sql: "SELECT totp_secret, totp_last_step FROM users WHERE id = ? AND active = 1", arguments: [userID]),
            let secret = row["totp_secret"] as String?
        else { return nil }
        if let step = acceptedStep(code, secret: secret, after: row["totp_last_step"]) {
            try db.execute(
                sql: "UPDATE users SET totp_last_step = ? WHERE id = ? AND coalesce(totp_last_step, -1) < ?",
                arguments: [step, userID, step]
            )
            return db.changesCount == 1 ? .appCode : nil
        }
        try db.execute(
            sql: "UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL",
            arguments: [Timestamp.now, userID, RecoveryCodes.hash(code)]
        )
        guard db.changesCount == 1 else { return nil }
        return .recoveryCode(
            left: try Int.fetchOne(db, sql: "SELECT count(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL", arguments: [userID]) ?? 0
        )
    }

    package enum Use: Equatable, Sendable {
        case appCode
        case recoveryCode(left: Int)
    }

    /// Whether the user has a second factor.
    package static func isOn(userID: Int64, _ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT totp_secret IS NOT NULL FROM users WHERE id = ?", arguments: [userID]) ?? false
    }
}

/// Ten codes for the day the phone is lost, shown once at enrolment and kept only as SHA-256 hashes (they are
/// random, 50 bits each, so a fast hash is enough, as for tokens).
package enum RecoveryCodes {
    package static let count = 10

    /// `k7m2q-x9c4t`: lower-case base32 without the letters people misread.
    package static func make() -> [String] {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in
            let letters = String((0..<10).map { _ in alphabet[Int(generator.next(upperBound: UInt32(alphabet.count)))] })
            return letters.prefix(5) + "-" + letters.suffix(5)
        }
    }

    /// The hash of what was typed, ignoring case, spaces and dashes.
    package static func hash(_ typed: String) -> Data {
        let normal = typed.lowercased().filter { $0.isLetter || $0.isNumber }
        return Data(SHA256.hash(data: Data(normal.utf8)))
    }

    /// Replaces the user's codes with new ones and returns them (to show once).
    package static func replace(for userID: Int64, _ db: Database) throws -> [String] {
        let codes = make()
        try db.execute(sql: "DELETE FROM recovery_codes WHERE user_id = ?", arguments: [userID])
        for code in codes {
            try db.execute(sql: "INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)", arguments: [userID, hash(code)])
        }
        return codes
    }
}
