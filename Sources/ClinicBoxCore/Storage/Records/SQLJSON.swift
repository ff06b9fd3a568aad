import GRDB

/// Pieces of `json_object(…)` expressions, so SQLite renders API answers without per-row work in Swift.
package enum SQLJSON {
    /// A 0/1 column as JSON `true`/`false`.
    package static func bool(_ column: String) -> String {
        "json(CASE \(column) WHEN 1 THEN 'true' ELSE 'false' END)"
    }

    /// `'name', table.name, …` for columns whose JSON name is their column name.
    package static func columns(_ table: String, _ names: [String]) -> String {
        names.map { "'\($0)', \(table).\($0)" }.joined(separator: ", ")
    }

    /// One row rendered by `object` (which reads from `table`), or a `404` naming `entity`.
    package static func fetch(_ db: Database, _ object: String, from table: String, joins: String = "", id: Int64, entity: String) throws -> String {
        guard let json = try db.fetchCached(String.self, "SELECT \(object) FROM \(table) \(joins) WHERE \(table).id = ?", [id]) else {
            throw RecordChanges.notFound(entity)
        }
        return json
    }
}
