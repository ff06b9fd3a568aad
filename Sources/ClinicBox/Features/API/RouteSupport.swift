import GRDB
import Hummingbird

extension RequestContext {
    /// The `:id` of the route; an id that is not a number is as absent as one that does not exist.
    func recordID(_ name: String = "id", entity: String = "record") throws -> Int64 {
        guard let id = parameters.get(name, as: Int64.self) else { throw RecordChanges.notFound(entity) }
        return id
    }
}

extension String {
    /// For `LIKE … ESCAPE '\'`: the user's `%` and `_` match themselves.
    var likeEscaped: String {
        var escaped = ""
        for character in self {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}

/// Pieces of `json_object(…)` expressions, so SQLite renders API answers without per-row work in Swift.
enum SQLJSON {
    /// A 0/1 column as JSON `true`/`false`.
    static func bool(_ column: String) -> String {
        "json(CASE \(column) WHEN 1 THEN 'true' ELSE 'false' END)"
    }

    /// `'name', table.name, …` for columns whose JSON name is their column name.
    static func columns(_ table: String, _ names: [String]) -> String {
        names.map { "'\($0)', \(table).\($0)" }.joined(separator: ", ")
    }

    /// One row rendered by `object` (which reads from `table`), or a `404` naming `entity`.
    static func fetch(_ db: Database, _ object: String, from table: String, joins: String = "", id: Int64, entity: String) throws -> String {
        guard let json = try db.fetchCached(String.self, "SELECT \(object) FROM \(table) \(joins) WHERE \(table).id = ?", [id]) else {
            throw RecordChanges.notFound(entity)
        }
        return json
    }
}

extension AuthenticatedContext {
    /// Branch conditions for a list: `?branch=` (refused outside the user's branches), else the user's branches.
    func branchConditions(_ request: Request, column: String) async throws -> SQLConditions {
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
    func requireKnownBranch(_ branch: String) throws {
        let codes = tenant.definition.branches.map(\.code)
        guard codes.contains(branch) else {
            throw Problem(
                .badRequest, title: "Invalid list parameters", detail: "Check branch.",
                fieldErrors: ["branch": codes.isEmpty ? "this clinic has no branches" : "must be one of this clinic's branches: \(codes.joined(separator: ", "))"]
            )
        }
    }

    /// The branches a report covers: `?branch=`, else the user's branches, else all of the tenant's.
    func visibleBranches(_ request: Request) async throws -> [String] {
        if let branch = request.uri.queryParameters.get("branch") {
            try requireKnownBranch(branch)
            try await requireBranch(branch)
            return [branch]
        }
        return user.workBranches(of: tenant.definition)
    }
}
