import CArgon2

/// Argon2id password hashes (OWASP's first choice: m = 19 MiB, t = 2, p = 1) through Debian's libargon2.
/// The encoded form carries its own parameters and salt, so stronger settings later still verify old hashes.
public enum PasswordHasher {
    static let memoryKiB: UInt32 = 19 * 1024
    static let iterations: UInt32 = 2
    static let parallelism: UInt32 = 1
    static let saltLength = 16
    static let hashLength = 32

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// A new encoded hash (`$argon2id$v=19$m=19456,t=2,p=1$…`) of `password` with a fresh random salt.
    public static func hash(_ password: String) throws(Failure) -> String {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<saltLength).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let password = Array(password.utf8)
        let length = argon2_encodedlen(iterations, memoryKiB, parallelism, UInt32(saltLength), UInt32(hashLength), Argon2_id)
        var encoded = [CChar](repeating: 0, count: length)
        let result = argon2id_hash_encoded(
            iterations, memoryKiB, parallelism, password, password.count, salt, salt.count, hashLength, &encoded, length
        )
        guard result == ARGON2_OK.rawValue else {
            throw Failure(description: "password hashing failed: \(String(cString: argon2_error_message(result)))")
        }
        return String(decoding: encoded.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// True when `password` matches `encoded`; false for a wrong password or an unreadable hash.
    public static func verify(_ password: String, against encoded: String) -> Bool {
        let password = Array(password.utf8)
        return argon2id_verify(encoded, password, password.count) == ARGON2_OK.rawValue
    }

    /// A hash of a password nobody knows, so an unknown email costs the same time as a wrong password.
    public static let decoy: String = (try? hash("decoy-\(UInt64.random(in: .min ... .max))")) ?? ""
}

/// What a password must be (NIST SP 800-63B: a length, no composition rules, not a common or breached password,
/// not the service's or the user's own name); the messages are shown to the person choosing it.
public enum PasswordPolicy {
    public static let minimumLength = 10
    public static let maximumLength = 128

    /// The 30,000 most common passwords (`Assets/passwords/common.txt`, zxcvbn's list, MIT), in lower case.
    public static let common: Set<String> = {
        let text = AssetStore.builtIn["passwords/common.txt"].map { String(decoding: $0, as: UTF8.self) } ?? ""
        return Set(text.split(separator: "\n").map(String.init))
    }()

    /// Words of a clinic's name too general to refuse on their own ("Smile Dental" refuses "smile…", not "…dental…").
    private static let generalWords: Set<String> = ["clinic", "clinics", "dental", "health", "medical", "pharmacy", "practice", "centre", "center", "group", "surgery", "hospital"]

    /// Nil when `password` is acceptable, else a message saying what to change. `names` are the service's own
    /// names a password must not contain (the tenant's id and name, its company name).
    public static func problem(with password: String, email: String, names: [String] = []) -> String? {
        let length = password.count
        if length < minimumLength { return "the password is \(length) characters long; use at least \(minimumLength)" }
        if length > maximumLength { return "the password is \(length) characters long; use at most \(maximumLength)" }
        let lowered = password.lowercased()
        if common.contains(lowered) { return "this password is on a list of commonly used and leaked passwords; choose another (a few unrelated words work well)" }
        if Set(password).count < 4 { return "the password repeats too few characters; use a passphrase of several words" }
        let localPart = email.lowercased().split(separator: "@").first.map(String.init) ?? ""
        if lowered.contains(email.lowercased()) || (localPart.count >= 4 && lowered.contains(localPart)) {
            return "the password must not contain the email address"
        }
        let letters = String(lowered.filter { $0.isLetter || $0.isNumber })
        for name in names {
            let words = name.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
            let whole = words.joined()
            let telling = words.filter { $0.count >= 4 && !generalWords.contains($0) }
            if (whole.count >= 4 && letters.contains(whole)) || telling.contains(where: { letters.contains($0) }) {
                return "the password must not contain the clinic's name (\(name))"
            }
        }
        return nil
    }
}
