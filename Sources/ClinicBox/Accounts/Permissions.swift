/// What each role may do: the account actions below plus every action the feature modules declare.
/// Every check goes through `allows`, so this table is the one place that decides.
public enum Permissions {
    public static let manageUsers = "users.manage"
    public static let readAudit = "audit.read"
    public static let manageAPIKeys = "api_keys.manage"
    public static let manageAllTokens = "tokens.manage_all"
    public static let readTenantConfig = "tenant.config.read"

    /// Account actions are for admins only.
    static let accountActions: [String: Set<Role>] = [
        manageUsers: [], readAudit: [], manageAPIKeys: [], manageAllTokens: [], readTenantConfig: [],
    ]

    /// Action → the roles below admin that may do it.
    static let table: [String: Set<Role>] = FeatureCatalog.standard.modules.reduce(into: accountActions) { table, module in
        table.merge(module.actions) { $0.union($1) }
    }

    /// Every known action, for listings and tests.
    public static var actions: [String] { table.keys.sorted() }

    /// True when `role` may do `action`. Unknown actions are refused, even for admins, so a typo fails closed.
    public static func allows(_ role: Role, _ action: String) -> Bool {
        guard let roles = table[action] else { return false }
        return role == .admin || roles.contains(role)
    }
}
