/// Something a role may or may not do: `patients.read`. Each module declares its own as static constants
/// (`PermissionAction.patientsRead`) with the roles that may do them; `Permissions` decides, and an action no one
/// declared is refused to everyone, so a typo fails closed.
public struct PermissionAction: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    /// What it lets someone do, in words that finish "Only clinicians can …": `read visit notes and problems`.
    public let doing: String

    public init(_ name: String, doing: String? = nil) {
        self.name = name
        self.doing = doing ?? "do that"
    }

    public var description: String { name }

    // Two declarations of one action are the same action, whatever their words.
    public static func == (lhs: PermissionAction, rhs: PermissionAction) -> Bool { lhs.name == rhs.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}
