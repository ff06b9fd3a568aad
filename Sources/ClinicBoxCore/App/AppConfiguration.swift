import Logging

/// Everything `clinicbox serve` can be told; tests build one pointing at temporary folders.
public struct AppConfiguration: Sendable {
    public var tenantsFolder = "tenants.d"
    public var dataFolder = "data"
    /// A folder whose files replace the built-in ones of the same path (`--assets`); nil: built-in only.
    public var assetsFolder: String?
    public var host = "127.0.0.1"
    public var port = 8080
    public var baseDomain = "localhost"
    public var defaultTenant: TenantID?
    /// Reload as soon as a tenant file changes (inotify); without it, changes wait for the next full scan.
    public var watchTenantFiles = true
    /// The feature modules this server offers; everything that depends on them reads them from here.
    public var catalog: FeatureCatalog
    /// Follow symbolic links in the tenant folder wherever they point; by default only links to files inside it.
    public var tenantsFollowSymlinks = false
    /// How often `tenants.d/` is re-read in full; nil picks 10 s when watching files and 1 s when not.
    public var reloadInterval: Duration?
    public var databases = TenantDatabases.Options()
    /// Mark cookies `Secure` (serving over TLS, directly or behind a proxy).
    public var secureCookies = false
    /// Believe `X-Forwarded-For` / `X-Forwarded-Proto` (only when a reverse proxy on the box is the sole way in).
    public var trustProxy = false
    /// Serve HTTPS with this certificate and key (`--tls-cert`, `--tls-key`); nil: plain HTTP.
    package var tls: TLSCertificate.Files?
    /// With `tls`, also listen on this port and answer every plain-HTTP request with a redirect to HTTPS.
    package var httpRedirectPort: Int?
    public var logger = Logger(label: "clinicbox")
    /// Where scheduled backups go (`--backups`); nil: `<data>/backups`.
    public var backupFolder: String?
    /// The backup schedule of tenants whose file has no `backup:` of its own.
    public var backupSchedule = BackupSchedule.defaults
    /// How often the server looks for tenants due a backup; tests that run backups themselves set it long.
    public var backupCheckInterval: Duration = .seconds(60)
    /// `/readyz` answers `503` when the data disk has less free space than this.
    public var minimumFreeDiskBytes: UInt64 = 256 << 20
    /// Lets a scraper read `/metrics` on the main listener with `Authorization: Bearer <token>`.
    public var metricsToken: String?
    /// Where Prometheus text is served without a token (`--metrics-address`); nil: no metrics listener.
    public var metricsListener: ListenAddress?
    /// Header, body and idle timeouts and the cap on open connections (`--header-timeout` and the like).
    public var connections = ConnectionLimits()

    /// Every option at its default, serving the modules of `catalog` (`AppConfiguration()`: the modules that ship).
    public init(catalog: FeatureCatalog) { self.catalog = catalog }
}

extension AppConfiguration {
    package var assets: AssetStore { AssetStore(overrideFolder: assetsFolder) }
    public var backups: TenantBackups { TenantBackups(folder: backupFolder ?? dataFolder + "/backups") }
}
