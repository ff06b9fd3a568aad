/// The signed-in person behind a request: who, with which role and branches, through which token.
public struct AuthenticatedUser: Sendable {
    public var id: Int64
    public var email: String
    public var role: Role
    public var branches: [String]
    public var tokenID: Int64?

    public init(id: Int64, email: String, role: Role, branches: [String], tokenID: Int64?) {
        self.id = id
        self.email = email
        self.role = role
        self.branches = branches
        self.tokenID = tokenID
    }
}
