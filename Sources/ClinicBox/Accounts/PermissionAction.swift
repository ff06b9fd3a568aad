/// Something a role may or may not do: `patients.read`. Each module declares its own as static constants
/// (`PermissionAction.patientsRead`) with the roles that may do them; `Permissions` decides, and an action no one
/// declared is refused to everyone, so a typo fails closed.
public struct PermissionAction: Hashable, Sendable, CustomStringConvertible {
    public let name: String

    public init(_ name: String) {
        self.name = name
    }

    public var description: String { name }
}
