import Foundation
import Hummingbird

/// A tenant as the running server holds it: its validated definition plus everything a request needs,
/// prepared once at load time so the per-request path only looks things up.
public final class Tenant: Sendable {
    public let definition: TenantDefinition
    /// The file it came from, as admins see it: `tenants.d/smile-dental.yaml`.
    public let file: String
    /// `GET /api/v1/tenant`, encoded once.
    package let profileJSON: ByteBuffer
    /// `GET /api/tenants/{id}/branding`, encoded once.
    package let brandingJSON: ByteBuffer
    package let logo: TenantLogo?
    /// `GET /brand.css`: the brand colours and readable text colours for them, made once.
    package let brandCSS: ByteBuffer
    /// The modules this tenant has; the feature gate looks here.
    public let features: Set<String>
    /// The migration steps its database needs: the standard ones plus those of its modules.
    package let schema: TenantSchema
    /// The modules this binary was given, for what depends on them per request (reports, permissions).
    package let catalog: FeatureCatalog
    /// What each role may do here: the modules' role tables plus the tenant file's `grants:`.
    package let permissions: Permissions
    /// From the YAML's `timezone` (validated at load), looked up once rather than per request.
    package let timeZone: TimeZone
    /// Moments in its time zone as pages and printouts show them (`1 Dec 2026, 10:50`).
    package let readableTime: ReadableTime
    private let branchNames: [String: String]
    /// How its audit entries read: the records of the core and of its modules.
    package let auditWording: AuditWording
    /// Its pages' navigation bars, kept for as long as this definition is the tenant's.
    package let navigation = KeptNavigation(capacity: 1_000)

    /// The name people know a branch by (`Ngong Road`); the code itself if the YAML no longer has it.
    package func branchName(_ code: String) -> String { branchNames[code] ?? code }
    /// How its local phone numbers are written in full (`country:`, else `contact.phone`'s calling code).
    package var phoneNumbering: PhoneNumbering { schema.phoneNumbering }

    public var id: TenantID { definition.id }
    public var isActive: Bool { definition.active }

    /// The work its modules offer for billing, and the money they take in at a till (for the cash-up); gathered
    /// once when the tenant file is read, since they depend only on its modules.
    package let billables: [BillableSource]
    package let takings: [TakingsSource]

    package init(definition: TenantDefinition, file: String, logo: TenantLogo?, catalog: FeatureCatalog) {
        self.definition = definition
        self.file = file
        self.logo = logo
        self.catalog = catalog
        self.permissions = catalog.permissions.granting(definition.grants)
        let features = Set(catalog.switchedOn(definition.features))
        self.features = features
        self.schema = TenantSchema.forTenant(definition, catalog: catalog)
        self.timeZone = TimeZone(identifier: definition.timezone) ?? TimeZone(identifier: "UTC")!
        self.readableTime = ReadableTime(timeZone: timeZone)
        self.branchNames = Dictionary(definition.branches.map { ($0.code, $0.name) }) { first, _ in first }
        let modules = catalog.modules.filter { features.contains($0.id) }
        self.auditWording = AuditWording(kinds: AuditRecordKind.core + modules.flatMap(\.auditRecords))
        self.billables = modules.flatMap(\.billables).filter { $0.needs.map(features.contains) ?? true }
        self.takings = modules.flatMap(\.takings)
        let profile = TenantProfile(definition)
        self.profileJSON = ByteBuffer(bytes: JSON.encode(profile))
        self.brandingJSON = ByteBuffer(bytes: JSON.encode(profile.branding))
        self.brandCSS = ByteBuffer(string: BrandColors(primary: definition.branding.primaryColor, accent: definition.branding.accentColor).css)
    }
}

/// A logo image, read when its tenant is loaded.
package struct TenantLogo: Sendable {
    package var bytes: ByteBuffer
    package var contentType: String

    /// `path` is a file path or a location from `AssetStore.locate`.
    package static func load(path: String) -> TenantLogo? {
        guard let data = AssetStore.read(path), data.count <= 1 << 20 else { return nil }
        return TenantLogo(bytes: ByteBuffer(bytes: data), contentType: AssetStore.contentType(of: path))
    }
}
