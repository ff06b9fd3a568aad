/// What each role may do: the account actions below plus every action the feature modules declare.
/// Every check goes through `allows`, so this table is the one place that decides.
public enum Permissions {
    public static let manageUsers = PermissionAction("users.manage")
    public static let readAudit = PermissionAction("audit.read")
    public static let manageAPIKeys = PermissionAction("api_keys.manage")
    public static let manageAllTokens = PermissionAction("tokens.manage_all")
    public static let readTenantConfig = PermissionAction("tenant.config.read")

    /// Account actions are for admins only.
    static let accountActions: [String: Set<Role>] = [
        manageUsers.name: [], readAudit.name: [], manageAPIKeys.name: [], manageAllTokens.name: [], readTenantConfig.name: [],
    ]

    /// Action → the roles below admin that may do it.
    static let table: [String: Set<Role>] = FeatureCatalog.standard.modules.reduce(into: accountActions) { table, module in
        table.merge(module.actions.map { ($0.key.name, $0.value) }) { $0.union($1) }
    }

    /// Every known action, for listings and tests.
    public static var actions: [String] { table.keys.sorted() }

    public static func allows(_ role: Role, _ action: PermissionAction) -> Bool { allows(role, action.name) }

    /// True when `role` may do `action`. Unknown actions are refused, even for admins, so a typo fails closed.
    public static func allows(_ role: Role, _ action: String) -> Bool {
        guard let roles = table[action] else { return false }
        return role == .admin || roles.contains(role)
    }
}
