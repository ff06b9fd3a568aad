import Synchronization

/// Holds the registry snapshot every new request reads; swapped whole on reload.
public final class LiveTenantRegistry: Sendable {
    private let snapshot: Mutex<TenantRegistry>

    public init(_ registry: TenantRegistry = .empty) {
        snapshot = Mutex(registry)
    }

    public var current: TenantRegistry { snapshot.withLock { $0 } }

    package func replace(with registry: TenantRegistry) {
        snapshot.withLock { $0 = registry }
    }
}
