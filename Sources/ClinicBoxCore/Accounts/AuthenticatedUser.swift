import Foundation
import GRDB

/// The signed-in person behind a request: who, with which role and branches, through which token.
public struct AuthenticatedUser: Sendable {
    public var id: Int64
    public var email: String
    public var role: Role
    public var branches: [String]
    public var tokenID: Int64?
    /// The name people know them by (`Lena Fischer`), shown in the page header.
    public var displayName: String
    /// They sign in with a second factor (a code from an app).
    public var hasTwoFactor = false
    /// Through an API key (an integration's, no sign-in), not a sign-in token or session.
    public var isAPIKey = false
    /// A scoped API key's actions: the key may do only these (and only those its user's role allows); nil: no limit.
    public var scope: Set<String>?
    /// The addresses an API key may be used from; nil: anywhere.
    package var allowedAddresses: [AddressRange]?

    public init(id: Int64, email: String, role: Role, branches: [String], tokenID: Int64?, displayName: String? = nil) {
        self.id = id
        self.email = email
        self.displayName = displayName ?? email
        self.role = role
        self.branches = branches
        self.tokenID = tokenID
    }
}

extension AuthenticatedUser {
    /// `user`, signed in without a token (a session begun from a page, the demo's staff).
    package init(signingIn user: User) {
        self.init(id: user.id, email: user.email, role: user.role, branches: user.branches, tokenID: nil, displayName: user.displayName)
    }

    /// Reads a user row (columns `id`, `email`, `display_name`, `role`, `branches`, and when the query has them
    /// `two_factor` and the token's `kind`, `scope` and `allowed_addresses`); nil for a role this binary does not know.
    package init?(row: Row, tokenID: Int64? = nil) {
        guard let role = Role(rawValue: row["role"]) else { return nil }
        self.init(
            id: row["id"],
            email: row["email"],
            role: role,
            branches: BranchCodes.decode(row["branches"]),
            tokenID: tokenID,
            displayName: row["display_name"]
        )
        hasTwoFactor = row["two_factor"] as Bool? ?? false
        isAPIKey = row["kind"] as String? == "api_key"
        scope = APIKeyLimits.scope(stored: row["scope"])
        allowedAddresses = APIKeyLimits.addresses(stored: row["allowed_addresses"])
    }
}

extension AuthenticatedUser {
    /// The name a record shows for who wrote it (a note, an allergy, a merge), as it is in the database when written:
    /// a session's copy may be older than a rename.
    package func nameAsRecorded(_ db: Database) throws -> String {
        try String.fetchOne(db, sql: "SELECT display_name FROM users WHERE id = ?", arguments: [id]) ?? email
    }
}

/// A user's branch codes, stored as a JSON array of text.
package enum BranchCodes {
    package static func decode(_ json: String) -> [String] {
        if json == "[]" { return [] }  // most users: every branch; read at each sign-in check
        return (try? JSONDecoder().decode([String].self, from: Data(json.utf8))) ?? []
    }

    package static func encode(_ codes: [String]) -> String {
        String(decoding: JSON.encode(codes), as: UTF8.self)
    }
}
