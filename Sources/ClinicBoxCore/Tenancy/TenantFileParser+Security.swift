extension TenantFileParser {
    /// `security: {require_two_factor: [admin, clinician], session_idle_minutes: 15, session_max_hours: 12}`.
    func readSecurity(_ node: YAMLNode, reader: inout YAMLFieldReader) -> TenantDefinition.Security {
        var security = TenantDefinition.Security()
        guard let fields = reader.fields(of: node, name: "security", allowed: TenantFileKeys.nested["security"]!) else { return security }
        if let field = fields["require_two_factor"] {
            for item in reader.list(field.value, field: "security.require_two_factor") ?? [] {
                guard let name = reader.text(item, field: "security.require_two_factor") else { continue }
                if let role = Role(rawValue: name) {
                    security.requireTwoFactor.insert(role)
                } else {
                    let roles = Role.allCases.map(\.rawValue)
                    reader.report(
                        item.location,
                        "security.require_two_factor: unknown role \(name.echoed)\(DidYouMean.hint(for: name, among: roles)); roles are \(roles.joined(separator: ", "))"
                    )
                }
            }
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
}
