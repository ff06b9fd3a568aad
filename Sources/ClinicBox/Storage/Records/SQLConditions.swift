import GRDB

/// `WHERE` conditions built from query parameters, always with bound arguments.
struct SQLConditions: Sendable {
    private var parts: [String] = []
    private(set) var arguments: StatementArguments = []

    mutating func add(_ sql: String, _ values: StatementArguments = []) {
        parts.append(sql)
        arguments += values
    }

    /// `column IN (?, ?, …)` for a list of values.
    mutating func add(column: String, in values: [String]) {
        add("\(column) IN (\(values.map { _ in "?" }.joined(separator: ", ")))", StatementArguments(values))
    }

    /// The conditions joined with AND, for use inside a larger condition (`1` when there are none).
    var predicate: String { parts.isEmpty ? "1" : parts.joined(separator: " AND ") }

    var whereClause: String { parts.isEmpty ? "" : "WHERE " + predicate }
}
