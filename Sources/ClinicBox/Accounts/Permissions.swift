/// What each role may do: the account actions below plus every action the catalogue's modules declare. Every
/// check goes through `allows`, so this table is the one place that decides. Built once per catalogue.
public struct Permissions: Sendable {
    public static let manageUsers = PermissionAction("users.manage")
    public static let readAudit = PermissionAction("audit.read")
    public static let manageAPIKeys = PermissionAction("api_keys.manage")
    public static let manageAllTokens = PermissionAction("tokens.manage_all")
    public static let readTenantConfig = PermissionAction("tenant.config.read")

    /// Account actions are for admins only.
    static let accountActions: [PermissionAction: Set<Role>] = [
        manageUsers: [], readAudit: [], manageAPIKeys: [], manageAllTokens: [], readTenantConfig: [],
    ]

    /// Action → the roles below admin that may do it.
    private let table: [String: Set<Role>]

    init(modules: [any FeatureModule]) {
        table = ([Self.accountActions] + modules.map(\.actions)).reduce(into: [:]) { table, actions in
            for (action, roles) in actions { table[action.name, default: []].formUnion(roles) }
        }
    }

    /// These permissions with what a tenant file's `grants:` adds: more roles for some actions (a pharmacy's
    /// pharmacists at the till). Grants only add; account actions stay with admins (the parser refuses them).
    func granting(_ grants: [Role: Set<String>]) -> Permissions {
        guard !grants.isEmpty else { return self }
        var table = self.table
        for (role, actions) in grants { for action in actions where table[action] != nil { table[action]!.insert(role) } }
        return Permissions(table: table)
    }

    private init(table: [String: Set<Role>]) {
        self.table = table
    }

    /// The roles below admin that may do `action`.
    func roles(for action: PermissionAction) -> Set<Role> { table[action.name] ?? [] }

    /// True for the account actions, which only admins do whatever a tenant file says.
    static func isAccountAction(_ action: String) -> Bool { accountActions.keys.contains { $0.name == action } }

    /// Every known action, for listings and tests.
    public var actions: [String] { table.keys.sorted() }

    public func allows(_ role: Role, _ action: PermissionAction) -> Bool { allows(role, action.name) }

    /// True when `role` may do `action`. Unknown actions are refused, even for admins, so a typo fails closed.
    public func allows(_ role: Role, _ action: String) -> Bool {
        guard let roles = table[action] else { return false }
        return role == .admin || roles.contains(role)
    }
}
