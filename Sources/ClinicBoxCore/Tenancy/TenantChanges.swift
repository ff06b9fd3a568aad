/// What changed for one tenant in a reload, e.g. `features +inventory`.
public struct TenantChange: Sendable, Equatable {
    public var tenant: TenantID
    public var summary: String

    /// The log line: `tenant smile-dental: features +inventory`.
    public var line: String { "tenant \(tenant): \(summary)" }
}

/// The human-readable difference between two registries, one entry per changed tenant.
package enum TenantChanges {
    package static func between(_ old: TenantRegistry, _ new: TenantRegistry) -> [TenantChange] {
        var lines: [TenantChange] = []
        for id in Set(old.tenants.keys).union(new.tenants.keys).sorted() {
            switch (old.tenants[id]?.definition, new.tenants[id]?.definition) {
            case (nil, let added?):
                lines.append(TenantChange(tenant: id, summary: "added (\(added.domain.rawValue), \(added.active ? "active" : "suspended"))"))
            case (_?, nil):
                lines.append(TenantChange(tenant: id, summary: "removed (its data file is kept)"))
            case (let before?, let after?) where before != after:
                lines.append(TenantChange(tenant: id, summary: fieldChanges(before, after).joined(separator: "; ")))
            default:
                break
            }
        }
        return lines
    }

    package static func fieldChanges(_ a: TenantDefinition, _ b: TenantDefinition) -> [String] {
        var changes: [String] = []
        func value<T: Equatable>(_ name: String, _ keyPath: KeyPath<TenantDefinition, T>, _ show: (T) -> String) {
            if a[keyPath: keyPath] != b[keyPath: keyPath] { changes.append("\(name) \(show(a[keyPath: keyPath])) → \(show(b[keyPath: keyPath]))") }
        }
        func list(_ name: String, _ before: [String], _ after: [String]) {
            let added = after.filter { !before.contains($0) }.map { "+\($0)" }
            let removed = before.filter { !after.contains($0) }.map { "-\($0)" }
            if !(added + removed).isEmpty { changes.append("\(name) \((added + removed).joined(separator: " "))") }
        }
        if a.active != b.active { changes.append(b.active ? "reactivated" : "suspended") }
        value("name", \.name) { "\"\($0)\"" }
        value("domain", \.domain) { $0.rawValue }
        list("features", a.features, b.features)
        list("hosts", a.hosts, b.hosts)
        list("branches", a.branches.map(\.code), b.branches.map(\.code))
        if a.branding != b.branding { changes.append("branding changed") }
        if a.contact != b.contact || a.taxNumber != b.taxNumber { changes.append("contact details changed") }
        value("timezone", \.timezone) { $0 }
        value("currency", \.currency) { $0 }
        value("tax", \.tax) { $0.summary }
        value("limits", \.limits) {
            "users \($0.maxUsers), branches \($0.maxBranches), \($0.requestsPerMinute)/min, documents up to \($0.maxDocumentMB) MB"
        }
        if a.backup != b.backup { changes.append("backup schedule changed") }
        value("billing", \.billing) { rules in
            let refunds = rules.refundLimit.map { "refunds over \(Money.format($0, currency: b.currency))" } ?? "every refund"
            return "a manager approves discounts over \(TenantDefinition.Tax.percent(rules.discountLimitBasisPoints))% and \(refunds)"
        }
        value("printing", \.printing) { $0.summary }
        value("security", \.security) { $0.summary }
        list("payers", a.payers.map(\.code), b.payers.map(\.code))
        if a.payers.map(\.code) == b.payers.map(\.code), a.payers != b.payers { changes.append("payers changed") }
        if changes.isEmpty { changes.append("branch details changed") }
        return changes
    }
}
