/// What each role may do: the account actions below plus every action the catalogue's modules declare. Every
/// check goes through `allows`, so this table is the one place that decides. Built once per catalogue.
public struct Permissions: Sendable {
    public static let manageUsers = PermissionAction("users.manage", doing: "manage users")
    public static let readAudit = PermissionAction("audit.read", doing: "read the audit log")
    public static let manageAPIKeys = PermissionAction("api_keys.manage", doing: "manage API keys")
    public static let manageAllTokens = PermissionAction("tokens.manage_all", doing: "end other people's sign-ins")
    public static let readTenantConfig = PermissionAction("tenant.config.read", doing: "read the clinic's settings")

    /// Account actions are for admins only.
    package static let accountActions: [PermissionAction: Set<Role>] = [
        manageUsers: [], readAudit: [], manageAPIKeys: [], manageAllTokens: [], readTenantConfig: [],
    ]

    /// Action → the roles below admin that may do it.
    private let table: [String: Set<Role>]
    /// Action → what it lets someone do, in words (`PermissionAction.doing`).
    private let words: [String: String]

    package init(modules: [any FeatureModule]) {
        let declared = [Self.accountActions] + modules.map(\.actions)
        table = declared.reduce(into: [:]) { table, actions in
            for (action, roles) in actions { table[action.name, default: []].formUnion(roles) }
        }
        words = declared.reduce(into: [:]) { words, actions in
            for action in actions.keys { words[action.name] = action.doing }
        }
    }

    /// "Only clinicians and admins can read visit notes and problems.": a refusal in words, naming who may.
    public func refusal(_ action: String) -> String {
        let order: [Role] = [.manager, .clinician, .staff]
        let who = order.filter { table[action]?.contains($0) == true }.map(Self.plural) + ["admins"]
        let list = who.count == 1 ? who[0] : who.dropLast().joined(separator: ", ") + " and " + who.last!
        return "Only \(list) can \(words[action] ?? "do that") here."
    }

    /// What `action` lets someone do, in words (`read visit notes and problems`); nil for an action no one declared.
    public func doing(_ action: String) -> String? { words[action] }

    private static func plural(_ role: Role) -> String {
        switch role {
        case .admin: "admins"
        case .manager: "managers"
        case .clinician: "clinicians"
        case .staff: "front-desk staff"
        }
    }

    /// These permissions with what a tenant file's `grants:` adds: more roles for some actions (a pharmacy's
    /// pharmacists at the till). Grants only add; account actions stay with admins (the parser refuses them).
    package func granting(_ grants: [Role: Set<String>]) -> Permissions {
        guard !grants.isEmpty else { return self }
        var table = self.table
        for (role, actions) in grants { for action in actions where table[action] != nil { table[action]!.insert(role) } }
        return Permissions(table: table, words: words)
    }

    private init(table: [String: Set<Role>], words: [String: String]) {
        self.table = table
        self.words = words
    }

    /// The roles below admin that may do `action`.
    package func roles(for action: PermissionAction) -> Set<Role> { table[action.name] ?? [] }

    /// True for the account actions, which only admins do whatever a tenant file says.
    package static func isAccountAction(_ action: String) -> Bool { accountActions.keys.contains { $0.name == action } }

    /// Every known action, for listings and tests.
    public var actions: [String] { table.keys.sorted() }

    /// True when `user` may do `action`: their role allows it and, for a scoped API key, the key's scope names it.
    public func allows(_ user: AuthenticatedUser, _ action: PermissionAction) -> Bool { allows(user.role, action.name, within: user.scope) }
    public func allows(_ user: AuthenticatedUser, _ action: String) -> Bool { allows(user.role, action, within: user.scope) }

    /// True when `role` may do `action` and `scope` (nil: no limit) names it. Unknown actions are refused, even for
    /// admins, so a typo fails closed.
    public func allows(_ role: Role, _ action: String, within scope: Set<String>?) -> Bool {
        guard let roles = table[action], scope?.contains(action) ?? true else { return false }
        return role == .admin || roles.contains(role)
    }
}
