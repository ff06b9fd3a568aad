import GRDB

/// `WHERE` conditions built from query parameters, always with bound arguments.
package struct SQLConditions: Sendable {
    private var parts: [String] = []
    package private(set) var arguments: StatementArguments = []

    package mutating func add(_ sql: String, _ values: StatementArguments = []) {
        parts.append(sql)
        arguments += values
    }

    /// `column IN (?, ?, …)` for a list of values.
    package mutating func add(column: String, in values: [String]) {
        add("\(column) IN (\(values.map { _ in "?" }.joined(separator: ", ")))", StatementArguments(values))
    }

    /// The conditions joined with AND, for use inside a larger condition (`1` when there are none).
    package var predicate: String { parts.isEmpty ? "1" : parts.joined(separator: " AND ") }

    package var whereClause: String { parts.isEmpty ? "" : "WHERE " + predicate }

    package init(parts: [String] = [], arguments: StatementArguments = []) {
        self.parts = parts
        self.arguments = arguments
    }
}
