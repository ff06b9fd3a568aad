import Foundation
import Hummingbird

/// `/admin/settings`: the tenant's YAML file as it is on disk, read-only, with the reload status: whether the
/// running server uses it, or still the previous version because the last edit was rejected (and why).
package struct SettingsPage {
    package let pages: Pages
    package let registry: LiveTenantRegistry
    package let tenantsFolder: String

    package var endpoints: [Endpoint<PageRequestContext>] {
        [
            .page(.get, "settings", "show", action: Permissions.readTenantConfig, template: "admin/settings", use: show)
        ]
    }

    private func show(_: Request, _ context: PageRequestContext) async throws -> Response {
        let tenant = context.tenant
        let current = registry.current
        let problems = current.problems.filter { $0.file == tenant.file }.map(\.description)
        let path = TenantFiles.yaml(tenant.id, in: tenantsFolder)
        let text = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
        var data: [String: Any] = [
            "file": tenant.file, "problems": problems, "rejected": current.staleTenants.contains(tenant.id) || !problems.isEmpty,
            "summary": Self.summary(tenant.definition),
        ]
        if let text { data["yaml"] = text }
        return pages.page(context, "admin/settings", title: "Settings", section: "admin", data: data)
    }

    /// The file in words, above the file itself: what an admin checks first.
    package static func summary(_ definition: TenantDefinition) -> [[String: String]] {
        let backup: String =
            switch definition.backup.every {
            case .none: "the server's schedule" + (definition.backup.keep.map { ", keeping \($0)" } ?? "")
            case .some(.none): "off for this tenant"
            case .some(.some(let every)):
                (every.components.seconds % 3600 == 0
                    ? "every \(every.components.seconds / 3600) hours" : "every \(every.components.seconds / 60) minutes")
                    + (definition.backup.keep.map { ", keeping \($0)" } ?? "")
            }
        let limits = definition.limits
        let branches = definition.branches.map { "\($0.name) (\($0.code))" }.joined(separator: ", ")
        return [
            ("Name", definition.name), ("Domain", definition.domain.rawValue), ("Features", definition.features.joined(separator: ", ")),
            ("Branches", branches.isEmpty ? "none" : branches), ("Time zone and currency", "\(definition.timezone), \(definition.currency)"),
            ("Country", definition.country ?? "from contact.phone (\(definition.phoneNumbering.callingCode.map { "+" + $0 } ?? "unknown"))"),
            ("Limits", "\(limits.maxUsers) users, \(limits.maxBranches) branches, \(limits.requestsPerMinute) requests a minute"),
            ("Backups", backup), ("Active", definition.active ? "yes" : "no: its pages and API are closed"),
        ].map { ["label": $0.0, "value": $0.1] }
    }
}
