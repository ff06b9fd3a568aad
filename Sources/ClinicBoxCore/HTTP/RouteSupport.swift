import GRDB
import Hummingbird

extension RequestContext {
    /// The `:id` of the route; an id that is not a number is as absent as one that does not exist.
    package func recordID(_ name: String = "id", entity: String = "record") throws -> Int64 {
        guard let id = parameters.get(name, as: Int64.self) else { throw RecordChanges.notFound(entity) }
        return id
    }
}

extension AuthenticatedContext {
    /// Branch conditions for a list: `?branch=` (refused outside the user's branches), else the user's branches.
    package func branchConditions(_ request: Request, column: String) async throws -> SQLConditions {
        var conditions = SQLConditions()
        if let branch = request.uri.queryParameters.get("branch") {
            try requireKnownBranch(branch)
            try await requireBranch(branch)
            conditions.add("\(column) = ?", [branch])
        } else if let branches = user.branchFilter {
            conditions.add(column: column, in: branches)
        }
        return conditions
    }

    /// `?branch=` must name one of the tenant's branches; anything else is a `400`, not an empty list.
    package func requireKnownBranch(_ branch: String) throws {
        let codes = tenant.definition.branches.map(\.code)
        guard codes.contains(branch) else {
            throw Problem(
                .badRequest,
                title: "Invalid list parameters",
                detail: "Check branch.",
                fieldErrors: [
                    "branch": codes.isEmpty
                        ? "this clinic has no branches" : "must be one of this clinic's branches: \(codes.joined(separator: ", "))"
                ]
            )
        }
    }

    /// The branches a report covers: `?branch=`, else the user's branches, else all of the tenant's.
    package func visibleBranches(_ request: Request) async throws -> [String] {
        if let branch = request.uri.queryParameters.get("branch") {
            try requireKnownBranch(branch)
            try await requireBranch(branch)
            return [branch]
        }
        return user.workBranches(of: tenant.definition)
    }
}
