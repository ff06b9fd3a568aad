import Synchronization

/// The navigation bar of one tenant's pages, rendered once per role, section and page root and kept.
///
/// Which links a page shows depends only on the tenant's modules, what the role may read, the current section and
/// the page root. The first is fixed for a `Tenant` (a changed tenant file makes a new one, with a new, empty
/// `KeptNavigation`), the templates' generation starts afresh after a reload, and the rest is in the key, so a kept
/// bar is never stale. It saves every page about twenty template lookups.
final class KeptNavigation: Sendable {
    struct Key: Hashable, Sendable {
        var base: String
        var role: Role
        var current: String
        var generation: Int
    }

    private let cache = Mutex<[Key: String]>([:])
    /// Roles × sections × page roots is a few hundred at most; the bound only guards against a surprise.
    private let capacity = 1_000

    func html(for key: Key, render: () -> String) -> String {
        if let html = cache.withLock({ $0[key] }) { return html }
        let html = render()
        cache.withLock { cache in
            if cache.count >= capacity { cache.removeAll(keepingCapacity: true) }
            cache[key] = html
        }
        return html
    }
}
