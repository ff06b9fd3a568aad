import Logging

/// Everything `clinicbox serve` can be told; tests build one pointing at temporary folders.
public struct AppConfiguration: Sendable {
    public var tenantsFolder = "tenants.d"
    public var dataFolder = "data"
    public var assetsFolder = "Assets"
    public var host = "127.0.0.1"
    public var port = 8080
    public var baseDomain = "localhost"
    public var defaultTenant: TenantID?
    /// How often `tenants.d/` is polled for changes (SIGHUP reloads at once).
    public var reloadInterval: Duration = .seconds(1)
    public var databases = TenantDatabases.Options()
    public var logger = Logger(label: "clinicbox")

    public init() {}
}
