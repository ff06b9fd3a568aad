/// How one tenant's audit entries read: the kinds of record of the core and of its modules, in the order the
/// audit page offers them, made once when the tenant is loaded.
package struct AuditWording: Sendable {
    package let kinds: [AuditRecordKind]
    private let byType: [String: AuditRecordKind]
    /// Every action the kinds put in words, for the audit page's filter: (code, "Appointments: booked …").
    /// An action two kinds share (an allergy warning overridden on a prescription or a sale) is listed once.
    package let actions: [(code: String, label: String)]
    /// The kind people look up by the number they read on a record (the patient's), for the audit page's filter.
    package let numbered: (kind: AuditRecordKind, label: String, find: AuditRecordKind.Finder)?

    package init(kinds: [AuditRecordKind]) {
        self.kinds = kinds
        self.byType = Dictionary(kinds.map { ($0.type, $0) }) { first, _ in first }
        var listed = Set<String>()
        self.actions = kinds.flatMap { kind in
            kind.verbs.sorted { $0.key < $1.key }.compactMap { code, verb in
                guard listed.insert(code).inserted else { return nil }
                return (code, "\(kind.label): \(verb.replacingOccurrences(of: "{}", with: "…"))")
            }
        }
        self.numbered = kinds.lazy.compactMap { kind in kind.findByNumber.map { (kind, $0.label, $0.find) } }.first
    }

    package func kind(_ type: String?) -> AuditRecordKind? { type.flatMap { byType[$0] } }

    /// What an entry did, with `{}` where the record's name goes: the kind's closer verb for these changes, else
    /// its verb for the action, else a plain one from the action's last word (`….create` → `added {}`).
    package func verb(action: String, type: String?, changes: AuditChanges) -> String {
        let kind = kind(type)
        if let verb = kind?.verbForChanges?(action, changes) ?? kind?.verbs[action] { return verb }
        switch action.split(separator: ".").last {
        case "create": return "added {}"
        case "update": return "changed {}"
        case "delete": return "removed {}"
        default: return "did \(action) to {}"
        }
    }

    /// Who did it, when no user name is known: the address the change came from says it.
    package static func actor(email: String?, clientAddress: String?) -> String {
        if email == AuditActor.setupLink { return "Someone with the setup link" }
        if let email { return email }
        switch clientAddress {
        case "command line": return "An admin at the command line"
        case "tenants.d": return "ClinicBox"
        default: return "Someone"
        }
    }
}
