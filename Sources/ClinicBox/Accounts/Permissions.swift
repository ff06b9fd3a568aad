/// What each role may do. Feature modules add their actions (`patients.read`, `prescriptions.dispense`, …);
/// every check goes through `allows`, so the table is the one place that decides.
public enum Permissions {
    public static let manageUsers = "users.manage"
    public static let readAudit = "audit.read"
    public static let manageAPIKeys = "api_keys.manage"
    public static let manageAllTokens = "tokens.manage_all"
    public static let readTenantConfig = "tenant.config.read"

    static let table: [Role: Set<String>] = [
        .admin: [manageUsers, readAudit, manageAPIKeys, manageAllTokens, readTenantConfig],
        .manager: [],
        .clinician: [],
        .staff: [],
    ]

    public static func allows(_ role: Role, _ action: String) -> Bool {
        table[role]?.contains(action) ?? false
    }
}
