extension AuthenticatedUser {
    /// True when the user may act in `branch`: admins act everywhere, as does anyone not limited to branches.
    public func mayActIn(branch: String) -> Bool {
        branchFilter?.contains(branch) ?? true
    }

    /// The branches a list must be filtered to, or nil for every branch.
    public var branchFilter: [String]? {
        role == .admin || branches.isEmpty ? nil : branches
    }

    /// The codes of the tenant's branches this user works in.
    public func workBranches(of tenant: TenantDefinition) -> [String] {
        branchFilter ?? tenant.branches.map(\.code)
    }

    /// True when `branch` is one of the tenant's branches and the user may act there (for a branch a form names).
    public func mayWork(in branch: String, of tenant: TenantDefinition) -> Bool {
        mayActIn(branch: branch) && tenant.branches.contains { $0.code == branch }
    }
}

extension AuthenticatedContext {
    /// Refuses (403, audited) a write in a branch outside the user's branches.
    public func requireBranch(_ branch: String) async throws {
        guard !user.mayActIn(branch: branch) else { return }
        let database = try await storage.database()
        try await database.write { [actor] db in
            try AuditLog.record(db, actor: actor, action: "auth.denied", entityType: "branch", entityID: branch)
        }
        throw Problem(
            .forbidden,
            title: "Not your branch",
            detail: "You may act only in branch \(user.branches.joined(separator: ", ")), not in '\(branch)'."
        )
    }
}
