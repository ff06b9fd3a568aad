/// The keys a tenant file may hold. The parser refuses any other; the README's reference lists exactly these
/// (a test compares the two).
public enum TenantFileKeys {
    package static let topLevel = [
        "id", "name", "domain", "active", "hosts", "branding", "features", "contact", "tax_number", "timezone", "currency", "country", "limits",
        "tax",
        "branches", "backup", "grants", "billing", "procedures", "printing", "payers", "security",
    ]

    /// The keys of each mapping; `branches[]` is one item of the `branches` list.
    package static let nested = [
        "branding": ["company_name", "primary_color", "accent_color", "logo"],
        "contact": ["phone", "email", "address"],
        "limits": ["max_users", "max_branches", "requests_per_minute", "max_document_mb"],
        "tax": ["rate", "classes", "default_class", "prices_include_tax"],
        "backup": ["every", "keep"],
        "grants": ["manager", "clinician", "staff"],
        "billing": ["discount_limit_percent", "refund_limit"],
        "printing": ["paper", "receipt_width", "label"],
        "security": ["require_two_factor", "session_idle_minutes", "session_max_hours", "emergency_access"],
        "branches[]": ["code", "name", "address"],
        "procedures[]": ["code", "name", "fee"],
        "payers[]": ["code", "name", "kind", "share_percent", "needs_preauthorisation"],
    ]

    /// Every key as the reference names it: `id`, `branding.logo`, `branches`, `branches[].code`.
    public static var all: [String] {
        let mappings = Set(nested.keys.filter { !$0.hasSuffix("[]") })
        return topLevel.filter { !mappings.contains($0) }
            + nested.sorted { $0.key < $1.key }.flatMap { parent, keys in keys.map { "\(parent).\($0)" } }
    }
}
