/// The kind of organisation a tenant is; decides which feature modules it may enable.
public enum TenantDomain: String, CaseIterable, Sendable, Codable {
    case clinic, dental, pharmacy, general
}
