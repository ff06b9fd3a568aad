import Foundation
import Hummingbird

/// `/admin/settings`: the tenant's YAML file as it is on disk, read-only, with the reload status: whether the
/// running server uses it, or still the previous version because the last edit was rejected (and why).
struct SettingsPage {
    let pages: Pages
    let registry: LiveTenantRegistry
    let tenantsFolder: String

    var endpoints: [Endpoint<PageRequestContext>] {
        [
            .page(.get, "settings", "show", action: Permissions.readTenantConfig) { _, context in try await show(context) },
        ]
    }

    private func show(_ context: PageRequestContext) async throws -> Response {
        let tenant = context.tenant
        let current = registry.current
        let problems = current.problems.filter { $0.file == tenant.file }.map(\.description)
        let path = TenantFiles.yaml(tenant.id, in: tenantsFolder)
        let text = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
        var data: [String: Any] = [
            "file": tenant.file, "problems": problems, "rejected": current.staleTenants.contains(tenant.id) || !problems.isEmpty,
            "features": tenant.definition.features.joined(separator: ", "), "domain": tenant.definition.domain.rawValue,
        ]
        if let text { data["yaml"] = text }
        return pages.page(context, "admin/settings", title: "Settings", section: "admin", data: data)
    }
}
