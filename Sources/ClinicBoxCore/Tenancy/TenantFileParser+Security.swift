extension TenantFileParser {
    /// `security: {require_two_factor: [admin, clinician], session_idle_minutes: 15, session_max_hours: 12,
    /// emergency_access: [clinician]}`.
    func readSecurity(_ node: YAMLNode, reader: inout YAMLFieldReader) -> TenantDefinition.Security {
        var security = TenantDefinition.Security()
        guard let fields = reader.fields(of: node, name: "security", allowed: TenantFileKeys.nested["security"]!) else { return security }
        if let field = fields["require_two_factor"] {
            security.requireTwoFactor = roles(field.value, "security.require_two_factor", among: Role.allCases, reader: &reader)
        }
        if let field = fields["emergency_access"] {
            // Admins see every chart without it; naming them is a mistake worth a message.
            security.emergencyAccess = roles(field.value, "security.emergency_access", among: [.manager, .clinician, .staff], reader: &reader)
        }
        if let field = fields["session_idle_minutes"],
            let minutes = reader.integer(field.value, field: "security.session_idle_minutes", range: 1...720)
        {
            security.sessionIdleMinutes = minutes
        }
        if let field = fields["session_max_hours"], let hours = reader.integer(field.value, field: "security.session_max_hours", range: 1...72) {
            security.sessionMaxHours = hours
        }
        if security.sessionIdleMinutes > security.sessionMaxHours * 60, let field = fields["session_idle_minutes"] {
            reader.report(field.value.location, "security.session_idle_minutes must not be longer than security.session_max_hours")
        }
        return security
    }

    /// A list of role names, each one of `allowed`.
    private func roles(_ node: YAMLNode, _ name: String, among allowed: [Role], reader: inout YAMLFieldReader) -> Set<Role> {
        var roles: Set<Role> = []
        let names = allowed.map(\.rawValue)
        for item in reader.list(node, field: name) ?? [] {
            guard let text = reader.text(item, field: name) else { continue }
            if let role = Role(rawValue: text), allowed.contains(role) {
                roles.insert(role)
            } else {
                reader.report(
                    item.location,
                    "\(name): \(Role(rawValue: text) == nil ? "unknown role" : "not a role for this list:") \(text.echoed)"
                        + "\(DidYouMean.hint(for: text, among: names)); roles are \(names.joined(separator: ", "))"
                )
            }
        }
        return roles
    }
}
