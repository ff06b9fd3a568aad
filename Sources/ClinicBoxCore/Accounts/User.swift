import Foundation
import GRDB

/// A person with an account in one tenant. The same email in two tenants is two unrelated users.
public struct User: Sendable, Equatable {
    public var id: Int64
    public var email: String
    public var displayName: String
    public var role: Role
    /// Branch codes the user may act in; empty means every branch of the tenant.
    public var branches: [String]
    public var active: Bool
    /// Marked as seeing patients although not a clinician.
    public var practitioner: Bool
    /// The professional registration number printed on what they prescribe (`KMPDC A1234`); nil if none is kept.
    public var registrationNumber: String?
    public var createdAt: String

    /// Offered as a practitioner when booking: every clinician, and users marked as practitioners.
    public var seesPatients: Bool { role == .clinician || practitioner }

    package init(row: Row) throws {
        id = row["id"]
        email = row["email"]
        displayName = row["display_name"]
        guard let role = Role(rawValue: row["role"]) else { throw DatabaseError(message: "unknown role \(String(describing: row["role"]))") }
        self.role = role
        branches = BranchCodes.decode(row["branches"])
        active = row["active"]
        practitioner = row["practitioner"]
        registrationNumber = row["registration_number"]
        createdAt = row["created_at"]
    }

    package static let columns = "id, email, display_name, role, branches, active, practitioner, registration_number, created_at"

    /// The SQL condition for users `seesPatients` holds for.
    package static let seesPatientsSQL = "(role = 'clinician' OR practitioner = 1)"
}

/// Why an account change was refused, with a message per field for forms and problem+json.
public struct AccountError: Error, Sendable, CustomStringConvertible {
    public var fieldErrors: [String: String]

    public init(_ fieldErrors: [String: String]) {
        self.fieldErrors = fieldErrors
    }

    public var description: String {
        fieldErrors.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ")
    }
}
