import Crypto
import CryptoExtras
import Foundation
import NIOSSL
import Synchronization

/// The box's certificate and key for HTTPS, read from two PEM files and checked before use: both readable, the
/// certificate not expired, the key the certificate's own. Re-read on `SIGHUP`, so a renewed certificate needs no
/// restart; a bad file then leaves the one in use in place. Every connection's handshake takes the current pair.
package final class TLSCertificate: Sendable {
    package struct Files: Sendable, Equatable {
        package var certificate: String
        package var key: String

        package init(certificate: String, key: String) {
            (self.certificate, self.key) = (certificate, key)
        }
    }

    /// A file that cannot serve: which file and why, in words.
    package struct Problem: Error, CustomStringConvertible {
        package var file: String
        package var reason: String
        package var description: String { "\(file): \(reason)" }
    }

    package struct Pair: Sendable {
        package var chain: [NIOSSLCertificate]
        package var key: NIOSSLPrivateKey
        /// When the first certificate stops being valid, for the log.
        package var notValidAfter: Date
    }

    package let files: Files
    private let current: Mutex<Pair>

    /// Reads and checks `files`; a problem stops the start with the file's name.
    package init(files: Files) throws(Problem) {
        self.files = files
        current = Mutex(try Self.read(files))
    }

    package var pair: Pair { current.withLock { $0 } }

    /// Reads the files again (`SIGHUP`): the new pair from now on, or the problem, and the old pair stays.
    package func reload() throws(Problem) -> Pair {
        let pair = try Self.read(files)
        current.withLock { $0 = pair }
        return pair
    }

    /// The server's TLS configuration: the pair read at start, replaced at each handshake by the current one.
    package func serverConfiguration() -> TLSConfiguration {
        let pair = self.pair
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: pair.chain.map { .certificate($0) },
            privateKey: .privateKey(pair.key)
        )
        configuration.minimumTLSVersion = .tlsv12
        configuration.sslContextCallback = { [self] _, promise in
            let pair = self.pair
            var override = NIOSSLContextConfigurationOverride()
            override.certificateChain = pair.chain.map { .certificate($0) }
            override.privateKey = .privateKey(pair.key)
            promise.succeed(override)
        }
        return configuration
    }

    private static func read(_ files: Files, now: Date = Date()) throws(Problem) -> Pair {
        let certificateBytes = try bytes(files.certificate, "certificate")
        let keyBytes = try bytes(files.key, "private key")
        let chain: [NIOSSLCertificate]
        do { chain = try NIOSSLCertificate.fromPEMBytes(certificateBytes) } catch {
            throw Problem(file: files.certificate, reason: "is not a PEM certificate (-----BEGIN CERTIFICATE-----)")
        }
        guard let leaf = chain.first else { throw Problem(file: files.certificate, reason: "holds no certificate") }
        let key: NIOSSLPrivateKey
        do { key = try NIOSSLPrivateKey(bytes: keyBytes, format: .pem) } catch {
            throw Problem(file: files.key, reason: "is not a PEM private key (-----BEGIN PRIVATE KEY-----), or it is encrypted")
        }
        let notAfter = Date(timeIntervalSince1970: TimeInterval(leaf.notValidAfter))
        let notBefore = Date(timeIntervalSince1970: TimeInterval(leaf.notValidBefore))
        let day = Date.ISO8601FormatStyle().year().month().day()
        if notAfter < now { throw Problem(file: files.certificate, reason: "the certificate expired on \(notAfter.formatted(day)); renew it") }
        if notBefore > now { throw Problem(file: files.certificate, reason: "the certificate is valid only from \(notBefore.formatted(day))") }
        guard let certificateKey = try? leaf.extractPublicKey().toSPKIBytes() else {
            throw Problem(file: files.certificate, reason: "its public key cannot be read")
        }
        guard let publicKey = publicKey(ofPEM: String(decoding: keyBytes, as: UTF8.self)) else {
            throw Problem(file: files.key, reason: "is not an RSA, P-256, P-384 or Ed25519 private key ClinicBox can check")
        }
        guard publicKey == Data(certificateKey) else {
            throw Problem(file: files.key, reason: "is not the key of the certificate \(files.certificate) (their public keys differ)")
        }
        return Pair(chain: chain, key: key, notValidAfter: notAfter)
    }

    private static func bytes(_ path: String, _ what: String) throws(Problem) -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else { throw Problem(file: path, reason: "there is no \(what) file here") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Problem(file: path, reason: "the \(what) file cannot be read (check its permissions for the user ClinicBox runs as)")
        }
        return Array(data)
    }

    /// The SubjectPublicKeyInfo of a PEM private key, to compare with the certificate's.
    private static func publicKey(ofPEM pem: String) -> Data? {
        if let key = try? _RSA.Signing.PrivateKey(pemRepresentation: pem) { return key.publicKey.derRepresentation }
        if let key = try? P256.Signing.PrivateKey(pemRepresentation: pem) { return key.publicKey.derRepresentation }
        if let key = try? P384.Signing.PrivateKey(pemRepresentation: pem) { return key.publicKey.derRepresentation }
        if let key = try? Curve25519.Signing.PrivateKey(pemRepresentation: pem) { return ed25519SPKI(key.publicKey.rawRepresentation) }
        return nil
    }

    /// RFC 8410: SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING { key } }.
    private static func ed25519SPKI(_ raw: Data) -> Data {
        Data([0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00]) + raw
    }
}
