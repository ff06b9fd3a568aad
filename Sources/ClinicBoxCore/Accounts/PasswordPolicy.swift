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
    private static let generalWords: Set<String> = [
        "clinic", "clinics", "dental", "health", "medical", "pharmacy", "practice", "centre", "center", "group", "surgery", "hospital",
    ]

    /// Nil when `password` is acceptable, else a message saying what to change. `names` are the service's own
    /// names a password must not contain (the tenant's id and name, its company name).
    public static func problem(with password: String, email: String, names: [String] = []) -> String? {
        let length = password.count
        if length < minimumLength { return "the password is \(length) characters long; use at least \(minimumLength)" }
        if length > maximumLength { return "the password is \(length) characters long; use at most \(maximumLength)" }
        let lowered = password.lowercased()
        if common.contains(lowered) {
            return "this password is on a list of commonly used and leaked passwords; choose another (a few unrelated words work well)"
        }
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
