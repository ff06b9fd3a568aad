import Crypto
import Foundation
import Synchronization

/// Sign-ins whose password was right and that wait for the second factor's code on the next page.
///
/// Kept in memory for five minutes under a random token in a cookie (only its SHA-256 here): a restart asks for the
/// password again, and nothing of it is on disk. The token says which tenant and user it is for, so it is useless at
/// another tenant, and it ends at the first right code.
package final class PendingSignIns: Sendable {
    package static let lifetime: Duration = .seconds(300)
    package static let cookie = "cbx_pending"
    /// More waiting sign-ins than this (a flood of right passwords): the oldest are forgotten.
    private static let most = 10_000

    package struct Pending: Sendable {
        package var tenant: TenantID
        package var user: AuthenticatedUser
        package var next: String?
        fileprivate var expires: ContinuousClock.Instant
    }

    private let waiting = Mutex<[Data: Pending]>([:])

    package init() {}

    /// Remembers `user`'s right password and returns the token for the cookie.
    package func start(tenant: TenantID, user: AuthenticatedUser, next: String?) -> String {
        let token = AccessTokens.randomSecret()
        let now = ContinuousClock.now
        waiting.withLock { waiting in
            if waiting.count >= Self.most {
                waiting = waiting.filter { $0.value.expires > now }
                while waiting.count >= Self.most, let oldest = waiting.min(by: { $0.value.expires < $1.value.expires }) {
                    waiting[oldest.key] = nil
                }
            }
            waiting[Self.hash(token)] = Pending(tenant: tenant, user: user, next: next, expires: now + Self.lifetime)
        }
        return token
    }

    /// The sign-in `token` stands for at `tenant`, while it lasts.
    package func find(_ token: String?, tenant: TenantID) -> Pending? {
        guard let token else { return nil }
        let now = ContinuousClock.now
        return waiting.withLock { waiting in
            guard let pending = waiting[Self.hash(token)], pending.expires > now, pending.tenant == tenant else { return nil }
            return pending
        }
    }

    /// The sign-in is done (or abandoned): the token is worth nothing from now.
    package func end(_ token: String?) {
        guard let token else { return }
        _ = waiting.withLock { $0.removeValue(forKey: Self.hash(token)) }
    }

    private static func hash(_ token: String) -> Data { Data(SHA256.hash(data: Data(token.utf8))) }
}
