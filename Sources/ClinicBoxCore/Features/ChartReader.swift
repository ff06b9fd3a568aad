import GRDB

/// Who reads a patient's chart: what their role may see, and the branches they work in. The patient and their
/// allergies and problems belong to the whole tenant; what happened at a branch (a visit, an appointment, a sale,
/// a document filed to a visit) is shown only to those who work there, on the chart exactly as on its own page.
package struct ChartReader: Sendable {
    package var role: Role
    /// A scoped API key's actions (nil: no limit): a key that may read appointments sees no clinical panel.
    package var scope: Set<String>?
    /// nil: every branch (admins, and users not limited to branches).
    package var branches: [String]?
    /// While an emergency access to this patient lasts (`EmergencyAccess`): the whole chart, every branch.
    package var emergency: EmergencyAccess.Grant?

    package init(role: Role, scope: Set<String>? = nil, branches: [String]?) {
        self.role = role
        self.scope = scope
        self.branches = branches
    }

    package init(_ user: AuthenticatedUser) {
        self.init(role: user.role, scope: user.scope, branches: user.branchFilter)
    }

    /// True when the reader may do `action` (their role, within a key's scope).
    package func may(_ action: PermissionAction, _ permissions: Permissions) -> Bool { may(action.name, permissions) }
    package func may(_ action: String, _ permissions: Permissions) -> Bool {
        // In an emergency the chart reads as an admin's, except what is about the audit trail (who else opened it).
        if emergency != nil { return !Permissions.isAccountAction(action) && permissions.allows(.admin, action, within: nil) }
        return permissions.allows(role, action, within: scope)
    }

    /// The arguments of a chart query: `:patient`, and `:branches`, a JSON array of codes or NULL for every branch
    /// (tested by `inBranches`). Named, so a query that has no branch to test takes the same arguments.
    package func arguments(patient: Int64) -> StatementArguments {
        ["patient": patient, "branches": branches.map(BranchCodes.encode)]
    }

    /// `(:branches IS NULL OR v.branch IN (…))`: keeps the rows of the reader's branches.
    package static func inBranches(_ column: String) -> String {
        "(:branches IS NULL OR \(column) IN (SELECT value FROM json_each(:branches)))"
    }
}
