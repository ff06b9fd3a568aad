import Foundation
import GRDB
import Hummingbird

/// One page of a list endpoint: `limit` (1–200, default 50), `sort` (an indexed column, `-` for descending)
/// and an opaque `cursor` that continues after the last row of the previous page.
///
/// Paging is by keyset — `(sort column, id) > (last value, last id)` — so page 500 costs what page 1 costs
/// and rows inserted meanwhile are neither skipped nor repeated. The cursor holds only the sort order and the last
/// row's id; the last value is looked up by that id in the query itself, so no name or other personal data ends
/// up in URLs, browser history or proxy logs.
package struct ListPage {
    /// A column lists may be sorted by; it must be NOT NULL and indexed.
    package struct SortKey: Sendable {
        package var name: String
        package var column: String

        package init(name: String, column: String) {
            self.name = name
            self.column = column
        }
    }

    /// The orders a list offers and the one it uses when none is asked for (`-name` for descending), declared once
    /// per list: the API's `sort` parameter, its OpenAPI choices and the pages all read it.
    package struct Sorting: Sendable {
        package var keys: [SortKey]
        package var defaultOrder: String

        package init(_ keys: [SortKey], default defaultOrder: String) {
            self.keys = keys
            self.defaultOrder = defaultOrder
        }

        /// Every value `sort=` takes.
        package var orders: [String] { keys.flatMap { [$0.name, "-" + $0.name] } }
    }

    package let limit: Int
    package let sort: SortKey
    package let descending: Bool
    private let after: Cursor?

    private struct Cursor: Codable {
        package var sort: String
        package var id: Int64
    }

    package static let maximumLimit = 200

    package init(_ request: Request, sorting: Sorting) throws {
        let (sortKeys, defaultSort) = (sorting.keys, sorting.defaultOrder)
        let query = request.uri.queryParameters
        var errors: [String: String] = [:]
        var limit = 50
        if let raw = query.get("limit") {
            if let value = Int(raw), (1...Self.maximumLimit).contains(value) {
                limit = value
            } else {
                errors["limit"] = "must be a whole number from 1 to \(Self.maximumLimit)"
            }
        }
        let requested = query.get("sort") ?? defaultSort
        let descending = requested.hasPrefix("-")
        let name = descending ? String(requested.dropFirst()) : requested
        let sort = sortKeys.first { $0.name == name }
        if sort == nil {
            errors["sort"] = "must be one of \(sortKeys.map(\.name).joined(separator: ", ")) (prefix - for descending)"
        }
        var after: Cursor?
        if let raw = query.get("cursor") {
            after = Data(base64URL: raw).flatMap { try? JSONDecoder().decode(Cursor.self, from: $0) }
            if after == nil || after?.sort != requested { errors["cursor"] = "is not a cursor of this list and sort order; start again without it" }
        }
        guard errors.isEmpty, let sort else {
            throw Problem(
                .badRequest,
                title: "Invalid list parameters",
                detail: "Check \(errors.keys.sorted().joined(separator: ", ")).",
                fieldErrors: errors
            )
        }
        self.limit = limit
        self.sort = sort
        self.descending = descending
        self.after = after
    }

    /// `(column, id) > ((the column of row id), id)` for the rows after the cursor, or nil on the first page. The
    /// lookup is one primary-key read, done once per query.
    package func afterCursor(table: String) -> (sql: String, arguments: StatementArguments)? {
        guard let after else { return nil }
        let last = "(SELECT \(sort.column) FROM \(table) WHERE id = ?)"
        return ("(\(table).\(sort.column), \(table).id) \(descending ? "<" : ">") (\(last), ?)", [after.id, after.id])
    }

    /// `ORDER BY … LIMIT limit + 1`: the extra row tells whether there is a next page.
    package func orderAndLimit(table: String) -> String {
        let direction = descending ? "DESC" : "ASC"
        return "ORDER BY \(table).\(sort.column) \(direction), \(table).id \(direction) LIMIT \(limit + 1)"
    }

    /// The page as `{"items": [...], "next_cursor": "..."|null}`; each row holds `item` (JSON text made by
    /// SQLite, copied into the answer as bytes, never decoded), `sort_value` and `id`.
    package func answer(_ rows: RowCursor, each answered: (Row) -> Void = { _ in }) throws -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(limit * 512)
        buffer.writeStaticString("{\"items\":[")
        var count = 0
        var last: (value: DatabaseValue, id: Int64)?
        while let row = try rows.next() {
            count += 1
            if count > limit {
                buffer.writeStaticString("],\"next_cursor\":\"")
                buffer.writeString(nextCursor(after: last!))
                buffer.writeStaticString("\"}")
                return buffer
            }
            answered(row)
            if count > 1 { buffer.writeStaticString(",") }
            try row.withUnsafeData(atIndex: 0) { bytes in if let bytes { buffer.writeBytes(bytes) } }
            if count == limit { last = (row[1], row[2]) }  // the row the next page starts after
        }
        buffer.writeStaticString("],\"next_cursor\":null}")
        return buffer
    }

    fileprivate func nextCursor(after last: (value: DatabaseValue, id: Int64)) -> String {
        let cursor = Cursor(sort: (descending ? "-" : "") + sort.name, id: last.id)
        // Sorted keys: the same page always has the same cursor.
        return JSON.encode(cursor).base64URLEncodedString()
    }

    /// Runs `SELECT <item> AS item, <sort column> AS sort_value, id FROM <from> WHERE <conditions> <page>`.
    package func fetch(
        _ database: TenantDatabase,
        item: String,
        from table: String,
        joins: String = "",
        conditions: SQLConditions
    ) async throws -> Response {
        try await fetch(database, item: item, from: table, joins: joins, conditions: conditions, collecting: "NULL").response
    }

    /// The same, and the distinct values of `column` (an integer, such as the patient's id) among the rows answered:
    /// for a list of clinical content, which patients' charts it showed.
    package func fetch(
        _ database: TenantDatabase,
        item: String,
        from table: String,
        joins: String = "",
        conditions: SQLConditions,
        collecting column: String
    ) async throws -> (response: Response, collected: Set<Int64>) {
        var conditions = conditions
        if let after = afterCursor(table: table) { conditions.add(after.sql, after.arguments) }
        let sql =
            "SELECT \(item) AS item, \(table).\(sort.column) AS sort_value, \(table).id AS id, \(column) AS collected FROM \(table) \(joins) \(conditions.whereClause) \(orderAndLimit(table: table))"
        let arguments = conditions.arguments
        // The text varies only with which filters are present, so the statement cache stays small.
        let (body, collected) = try await database.readStatement { db -> (ByteBuffer, Set<Int64>) in
            var collected: Set<Int64> = []
            let body = try answer(Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)) { row in
                if let value = row[3] as Int64? { collected.insert(value) }
            }
            return (body, collected)
        }
        return (.json(bytes: body), collected)
    }
}

extension ListPage {
    /// The page's rows, each made into a `T` by `item`, and the cursor of the next page (nil on the last): for
    /// server-rendered lists. `columns` must not include `sort_value` or `id`; they are added. `columnArguments`
    /// are bound to the `?` in `columns` (they come before the conditions' in the statement).
    package func rows<T: Sendable>(
        _ database: TenantDatabase,
        columns: String,
        columnArguments: StatementArguments = [],
        from table: String,
        joins: String = "",
        conditions: SQLConditions,
        item: @escaping @Sendable (Row) -> T
    ) async throws -> (items: [T], next: String?) {
        var conditions = conditions
        if let after = afterCursor(table: table) { conditions.add(after.sql, after.arguments) }
        let sql =
            "SELECT \(columns), \(table).\(sort.column) AS sort_value, \(table).id AS id FROM \(table) \(joins) \(conditions.whereClause) \(orderAndLimit(table: table))"
        let arguments = columnArguments + conditions.arguments
        let limit = self.limit
        let (items, last) = try await database.readStatement { db -> ([T], (DatabaseValue, Int64)?) in
            var items: [T] = []
            var last: (DatabaseValue, Int64)?
            let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
            while let row = try rows.next() {
                if items.count == limit {
                    return (items, last)
                }
                items.append(item(row))
                last = (row["sort_value"], row["id"])
            }
            return (items, nil)
        }
        return (items, last.map { nextCursor(after: (value: $0.0, id: $0.1)) })
    }

    /// The "Next page" link of a server-rendered list: `path` with the cursor and the filters that made the list.
    package static func nextPageLink(_ path: String, cursor: String?, keeping filters: [(String, String)]) -> String? {
        guard let cursor else { return nil }
        var components = URLComponents()
        components.queryItems =
            [URLQueryItem(name: "cursor", value: cursor)] + filters.filter { !$0.1.isEmpty }.map { URLQueryItem(name: $0.0, value: $0.1) }
        return path + (components.percentEncodedQuery.map { "?" + $0.replacingOccurrences(of: "+", with: "%2B") } ?? "")
    }
}
