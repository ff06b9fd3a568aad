import Crypto
import CryptoExtras
import Foundation
import Synchronization

/// scrypt password hashes through swift-crypto (BoringSSL), so the binary needs no password library of the system's.
///
/// OWASP lists scrypt N = 2^14, r = 8, p = 5 (16 MiB) as equal in strength to Argon2id with 19 MiB, which ClinicBox
/// used before. The stored form carries its parameters and salt — `$scrypt$ln=14,r=8,p=5$<salt>$<hash>`, base64
/// without padding — so stronger settings later still verify old hashes, and a sign-in upgrades them
/// (`needsRehash`).
public enum PasswordHasher {
    /// scrypt's cost: N = 2^`logRounds` blocks of 128·`blockSize` bytes each, computed `parallelism` times over.
    public struct Parameters: Sendable, Hashable, CustomStringConvertible {
        public var logRounds: Int
        public var blockSize: Int
        public var parallelism: Int

        /// What one hash holds at once (BoringSSL computes the `parallelism` lanes one after another).
        public var memoryBytes: Int { 128 * blockSize << logRounds }
        /// What one hash costs in time, in units of one block mix.
        package var work: Int { (blockSize << logRounds) * parallelism }

        public var description: String { "ln=\(logRounds),r=\(blockSize),p=\(parallelism)" }

        /// Parameters as stored, or nil outside the range a ClinicBox hash ever uses (a stored hash must never make a
        /// sign-in take gigabytes or minutes).
        package init?(_ text: Substring) {
            var values: [Substring: Int] = [:]
            for pair in text.split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, let value = Int(parts[1]) else { return nil }
                values[parts[0]] = value
            }
            guard values.count == 3, let ln = values["ln"], let r = values["r"], let p = values["p"],
                (10...20).contains(ln), (1...32).contains(r), (1...16).contains(p)
            else { return nil }
            self.init(logRounds: ln, blockSize: r, parallelism: p)
        }

        public init(logRounds: Int, blockSize: Int, parallelism: Int) {
            self.logRounds = logRounds
            self.blockSize = blockSize
            self.parallelism = parallelism
        }
    }

    /// OWASP's scrypt parameters (N = 2^14, r = 8, p = 5): about 140 ms and 16 MiB per hash on the 2-core box (see
    /// bench/RESULTS.md). N = 2^15 with p = 3, the next step up, took 200 ms, over the 150 ms a sign-in may take.
    public static let standard = Parameters(logRounds: 14, blockSize: 8, parallelism: 5)

    /// What new hashes use: `standard`, unless a test suite lowered it.
    public static var current: Parameters { cost.withLock { $0 } }
    private static let cost = Mutex(standard)

    /// For the in-process test suite only (reachable through `@testable import`): a debug build computes scrypt
    /// about seven times slower than a release build, a second per hash, and the suite makes hundreds. Tests of
    /// the standard parameters pass them explicitly; the binary the other suites run always uses `standard`.
    package static func lowerCostForTests(to parameters: Parameters) {
        cost.withLock { $0 = parameters }
    }
    package static let saltLength = 16
    package static let hashLength = 32

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// A new stored hash of `password` with a fresh random salt.
    public static func hash(_ password: String, parameters: Parameters = current) throws(Failure) -> String {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<saltLength).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        guard let derived = derive(Array(password.utf8), salt: salt, parameters: parameters) else {
            throw Failure(description: "password hashing failed (scrypt \(parameters))")
        }
        return "$scrypt$\(parameters)$\(base64(salt))$\(base64(derived))"
    }

    /// True when `password` matches `stored`; false for a wrong password or a hash this build cannot read.
    public static func verify(_ password: String, against stored: String) -> Bool {
        guard let parsed = Stored(stored),
            let derived = derive(Array(password.utf8), salt: parsed.salt, parameters: parsed.parameters, length: parsed.hash.count)
        else { return false }
        // Every byte is compared whatever the first difference, so the time says nothing about how close a guess was.
        var difference: UInt8 = 0
        for (a, b) in zip(derived, parsed.hash) { difference |= a ^ b }
        return difference == 0 && derived.count == parsed.hash.count
    }

    /// True when `stored` was made with less work or memory than `current`: the next successful sign-in hashes again.
    public static func needsRehash(_ stored: String) -> Bool {
        guard let parameters = Stored(stored)?.parameters else { return false }
        return parameters.work < current.work || parameters.memoryBytes < current.memoryBytes
    }

    /// True for a hash made by ClinicBox before scrypt (Argon2id): it cannot be checked any more, so its owner needs a
    /// new password (`clinicbox user passwd`).
    public static func isRetired(_ stored: String) -> Bool { stored.hasPrefix("$argon2") }

    /// A hash of a password nobody knows, made with `current`, so an unknown email costs the same time as a wrong
    /// password.
    public static var decoy: String {
        let parameters = current
        return decoys.withLock { decoys in
            if let decoy = decoys[parameters] { return decoy }
            let decoy = (try? hash("decoy-\(UInt64.random(in: .min ... .max))", parameters: parameters)) ?? ""
            decoys[parameters] = decoy
            return decoy
        }
    }
    private static let decoys = Mutex<[Parameters: String]>([:])

    private struct Stored {
        package var parameters: Parameters
        package var salt: [UInt8]
        package var hash: [UInt8]

        package init?(_ text: String) {
            let parts = text.split(separator: "$", omittingEmptySubsequences: false)
            guard parts.count == 5, parts[0].isEmpty, parts[1] == "scrypt", let parameters = Parameters(parts[2]),
                let salt = PasswordHasher.bytes(parts[3]), let hash = PasswordHasher.bytes(parts[4]), !salt.isEmpty, (16...64).contains(hash.count)
            else { return nil }
            self.parameters = parameters
            self.salt = salt
            self.hash = hash
        }
    }

    private static func derive(_ password: [UInt8], salt: [UInt8], parameters: Parameters, length: Int = hashLength) -> [UInt8]? {
        // BoringSSL is handed the password's address, which an empty array does not have; nobody's password is empty
        // (the policy asks for ten characters), so a trailing zero byte cannot make a match that was not one.
        let input = password.isEmpty ? [0] : password
        guard
            let key = try? KDF.Scrypt.deriveKey(
                from: input,
                salt: salt,
                outputByteCount: length,
                rounds: 1 << parameters.logRounds,
                blockSize: parameters.blockSize,
                parallelism: parameters.parallelism
            )
        else { return nil }
        return key.withUnsafeBytes { Array($0) }
    }

    private static func base64(_ bytes: [UInt8]) -> String {
        var text = Data(bytes).base64EncodedString()
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }

    private static func bytes(_ text: Substring) -> [UInt8]? {
        let padded = String(text) + String(repeating: "=", count: (4 - text.count % 4) % 4)
        return Data(base64Encoded: padded).map(Array.init)
    }
}
