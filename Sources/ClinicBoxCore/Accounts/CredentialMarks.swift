import Crypto
import Foundation
import Synchronization

/// A short mark at the start of every credential a tenant keeps — bearer tokens and API keys after `cbx_`, session
/// cookies — that tells this server, and only it, which tenant made the credential. A token
/// of one clinic sent to another is then seen as what it is (`CrossTenantWatch`), not as one more wrong token.
///
/// The mark is 8 characters of an HMAC of the tenant's id under a key of the data folder
/// (`<data>/.credential-marks.key`, made on first use, readable by its owner only): knowing a tenant's id is not
/// enough to make its mark. It adds to the credential's 256 random bits; a credential without a mark (made before
/// marks, or when the key cannot be written) works as before and is simply not recognised elsewhere.
package final class CredentialMarks: Sendable {
    package static let length = 8
    private let key: SymmetricKey
    /// Tenant id → mark, and the reverse for the tenants asked about so far.
    private let known = Mutex<(marks: [TenantID: String], owners: [String: TenantID])>(([:], [:]))

    package init(key: SymmetricKey) {
        self.key = key
    }

    package func mark(_ tenant: TenantID) -> String {
        if let mark = known.withLock({ $0.marks[tenant] }) { return mark }
        let code = HMAC<SHA256>.authenticationCode(for: Data("clinicbox tenant \(tenant.rawValue)".utf8), using: key)
        let mark = String(Base64URL.encode(Data(code)).prefix(Self.length))
        known.withLock {
            $0.marks[tenant] = mark
            $0.owners[mark] = tenant
        }
        return mark
    }

    /// An email as the key sees it (case and spaces aside), so a list of every tenant's users' emails can be kept in
    /// memory without keeping the emails.
    package func digest(email: String) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: Data("clinicbox email \(email.trimmingSpaces.lowercased())".utf8), using: key))
    }

    /// The tenant among `tenants` that made `credential` (its mark first, after any `cbx_`), or nil.
    package func owner(of credential: String, among tenants: some Sequence<TenantID>) -> TenantID? {
        let body = credential.hasPrefix("cbx_") ? credential.dropFirst(4) : Substring(credential)
        guard body.utf8.count > Self.length else { return nil }
        let mark = String(body.prefix(Self.length))
        if let owner = known.withLock({ $0.owners[mark] }) { return owner }
        // Marks are made on first need; a tenant not asked about yet is worked out now (microseconds each).
        for tenant in tenants where self.mark(tenant) == mark { return tenant }
        return nil
    }

    /// The marks of the data folder `folder`, one key per folder for the life of the process; nil when its key
    /// can neither be read nor made (the credentials are then made without a mark). Only what makes a credential
    /// makes the key (`making`): a refused request writes nothing.
    package static func of(dataFolder folder: String, making: Bool = true) -> CredentialMarks? {
        let path = URL(fileURLWithPath: folder).standardizedFileURL.path + "/.credential-marks.key"
        return byFile.withLock { byFile in
            if let marks = byFile[path] { return marks }
            guard let key = making ? readOrMakeKey(path) : readKey(path) else { return nil }
            let marks = CredentialMarks(key: key)
            byFile[path] = marks
            return marks
        }
    }

    private static let byFile = Mutex<[String: CredentialMarks]>([:])

    private static func readKey(_ path: String) -> SymmetricKey? {
        FileManager.default.contents(atPath: path).flatMap { $0.count == 32 ? SymmetricKey(data: $0) : nil }
    }

    private static func readOrMakeKey(_ path: String) -> SymmetricKey? {
        if let key = readKey(path) { return key }
        let key = SymmetricKey(size: .bits256)
        let data = key.withUnsafeBytes { Data($0) }
        // Made once: written to a private temporary file, flushed and renamed, so a crash leaves the old state or the key.
        let temporary = path + ".\(ProcessInfo.processInfo.processIdentifier).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else { return nil }
        do {
            try TenantDatabaseLedger.flush(temporary)
            if link(temporary, path) != 0 {
                // Another process made it first: use theirs.
                try? FileManager.default.removeItem(atPath: temporary)
                return readKey(path)
            }
            try? FileManager.default.removeItem(atPath: temporary)
            try TenantDatabaseLedger.flush((path as NSString).deletingLastPathComponent)
            return key
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            return nil
        }
    }
}

/// Base64url without padding (RFC 4648 §5): what tokens and marks are written in.
package enum Base64URL {
    package static func encode(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
