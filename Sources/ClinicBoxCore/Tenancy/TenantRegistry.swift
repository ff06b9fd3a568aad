/// An immutable snapshot of every tenant being served. Reload builds a new one and swaps it in whole,
/// so a request sees the old registry or the new one, never a mix.
public final class TenantRegistry: Sendable {
    public let tenants: [TenantID: Tenant]
    /// Explicit `hosts:` entries, lower-cased.
    package let byHost: [String: Tenant]
    /// Every problem found in the folder, including edits that were refused.
    public let problems: [TenantFileProblem]
    /// Tenants served from their last good definition because their file's newest version is invalid.
    public let staleTenants: Set<TenantID>

    public static let empty = TenantRegistry(tenants: [:], byHost: [:], problems: [], staleTenants: [])

    private init(tenants: [TenantID: Tenant], byHost: [String: Tenant], problems: [TenantFileProblem], staleTenants: Set<TenantID>) {
        self.tenants = tenants
        self.byHost = byHost
        self.problems = problems
        self.staleTenants = staleTenants
    }

    public func tenant(_ id: TenantID) -> Tenant? { tenants[id] }
    package func tenant(host: String) -> Tenant? { byHost[host] }

    /// Builds the next snapshot from a folder scan. A file that became invalid keeps its previous definition;
    /// a host claimed by two files stays with the tenant that already had it (or the first by name).
    public convenience init(scan: TenantFolderScan, previous: TenantRegistry, folder: String) {
        var problems = scan.otherProblems
        var stale: Set<TenantID> = []
        var candidates: [(tenant: Tenant, previous: Tenant?)] = []

        for (fileID, result) in scan.files.sorted(by: { $0.key < $1.key }) {
            let id = TenantID(fileID)
            let old = id.flatMap { previous.tenants[$0] }
            switch result {
            case .valid(let definition):
                let tenant =
                    old?.definition == definition
                    ? old!
                    : Tenant(
                        definition: definition,
                        file: TenantFiles.yaml(fileID, in: folder),
                        logo: definition.branding.logoPath.flatMap(TenantLogo.load),
                        catalog: scan.catalog
                    )
                candidates.append((tenant, old))
            case .invalid(let fileProblems):
                problems += fileProblems
                if let old {
                    candidates.append((old, nil))
                    stale.insert(old.id)
                }
            }
        }

        // Tenants that keep what they had claim their hosts first, so a new file cannot steal a host.
        candidates.sort { lhs, rhs in
            let lhsKept = lhs.previous != nil && lhs.previous!.definition.hosts == lhs.tenant.definition.hosts
            let rhsKept = rhs.previous != nil && rhs.previous!.definition.hosts == rhs.tenant.definition.hosts
            return lhsKept != rhsKept ? lhsKept : lhs.tenant.id < rhs.tenant.id
        }
        var tenants: [TenantID: Tenant] = [:]
        var byHost: [String: Tenant] = [:]
        for (candidate, old) in candidates {
            var chosen: Tenant? = candidate
            if let owner = candidate.definition.hosts.lazy.compactMap({ byHost[$0] }).first {
                let host = candidate.definition.hosts.first { byHost[$0] != nil }!
                problems.append(
                    TenantFileProblem(
                        file: candidate.file,
                        location: candidate.definition.sourceMap.hosts[host],
                        message: "hosts: '\(host)' is already used by \(owner.file); each host name selects one tenant"
                    )
                )
                chosen = old.flatMap { old in old.definition.hosts.allSatisfy { byHost[$0] == nil } ? old : nil }
                if let chosen { stale.insert(chosen.id) }
            }
            guard let chosen else { continue }
            tenants[chosen.id] = chosen
            for host in chosen.definition.hosts { byHost[host] = chosen }
        }
        self.init(tenants: tenants, byHost: byHost, problems: problems, staleTenants: stale)
    }
}
