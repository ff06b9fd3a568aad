import ClinicBoxCore
import GRDB

/// Products found by the start of a word of their name or generic name (`paracet`, `amox`): the till offers them
/// for a typed name, and the prescription form for a medicine, so what is sold and dispensed is the product itself.
package enum ProductSearch {
    package struct Match: Sendable {
        package var id: Int64
        package var sku: String
        /// `Paracetamol 500 mg tablet`
        package var label: String
    }

    /// The product on sale with `id`, or nil.
    package static func byID(_ id: Int64, _ db: Database) throws -> Match? {
        try Row.fetchOne(db, sql: "SELECT id, sku, name, strength, form FROM products WHERE id = ? AND active = 1", arguments: [id]).map(match)
    }

    /// At most `limit` products on sale whose name or generic name has a word starting with `text` (three letters
    /// or more; shorter text finds nothing).
    package static func byName(_ text: String, _ db: Database, limit: Int = 8) throws -> [Match] {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        guard folded.count >= 3, try db.tableExists("products") else { return [] }
        let (start, word) = (folded.likeEscaped + "%", "% " + folded.likeEscaped + "%")
        return try Row.fetchAll(
            db,
            sql: """
                SELECT id, sku, name, strength, form FROM products WHERE active = 1 AND (sort_name LIKE ?1 ESCAPE '\\' OR sort_name LIKE ?2 ESCAPE '\\'
                    OR lower(generic_name) LIKE ?1 ESCAPE '\\' OR lower(generic_name) LIKE ?2 ESCAPE '\\') ORDER BY sort_name LIMIT \(limit)
                """,
            arguments: [start, word]
        ).map(match)
    }

    /// A row of `id, sku, name, strength, form` as a match named `Paracetamol 500 mg tablet`.
    private static func match(_ row: Row) -> Match {
        let detail = [row["strength"] as String?, row["form"] as String?].compactMap { $0 }.joined(separator: " ")
        return Match(id: row["id"], sku: row["sku"], label: "\(row["name"] as String)\(detail.isEmpty ? "" : " " + detail)")
    }
}
