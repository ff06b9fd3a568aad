import Synchronization

/// HTML rendered once and kept under a key that names everything it shows, so a kept fragment is never stale.
///
/// swift-mustache spends a few dynamic casts on every value it looks up; what many requests show alike (a list's
/// unchanged rows, the navigation bar) is rendered the first time and looked up after that.
package final class KeptHTML<Key: Hashable & Sendable>: Sendable {
    private let cache = Mutex<[Key: String]>([:])
    /// Beyond this many fragments the cache starts again empty, so memory stays bounded.
    private let capacity: Int

    package init(capacity: Int) {
        self.capacity = capacity
    }

    package func html(for key: Key, render: () -> String) -> String {
        if let html = cache.withLock({ $0[key] }) { return html }
        let html = render()
        cache.withLock { cache in
            if cache.count >= capacity { cache.removeAll(keepingCapacity: true) }
            cache[key] = html
        }
        return html
    }
}
