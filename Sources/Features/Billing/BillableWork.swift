import ClinicBoxCore
import GRDB

/// A patient's work that the tenant's modules offer for billing (`BillableSource`): a done treatment, a signed
/// visit. Billed work is named in `billed_sources` by the invoice line that bills it, so it is offered once.
package enum BillableWork {
    package struct Item: Sendable, Equatable {
        /// `treatment:12`.
        package var source: String
        package var day: String
        package var description: String
        package var amount: Int64?
        package var itemCode: String?
        package var branch: String?
        package var pricedBy: String?
    }

    /// The patient's work not yet on an invoice, oldest first, from the reader's branches (and work of no branch).
    package static func unbilled(_ db: Database, patient: Int64, sources: [BillableSource], branches: [String]?) throws -> [Item] {
        try sources.flatMap { try items(db, $0, patient: patient) }
            .filter { item in item.branch.map { branches?.contains($0) ?? true } ?? true }
            .filter { try String.fetchOne(db, sql: "SELECT source FROM billed_sources WHERE source = ?", arguments: [$0.source]) == nil }
            .sorted { ($0.day, $0.source) < ($1.day, $1.source) }
    }

    /// The work `source` names, when it is the patient's (billed or not: the unique name decides that).
    package static func find(_ db: Database, _ source: String, patient: Int64, sources: [BillableSource]) throws -> Item? {
        let parts = source.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let kind = sources.first(where: { $0.kind == parts[0] }), Int64(parts[1]) != nil else { return nil }
        return try items(db, kind, patient: patient).first { $0.source == source }
    }

    private static func items(_ db: Database, _ source: BillableSource, patient: Int64) throws -> [Item] {
        try Row.fetchAll(db, sql: source.query, arguments: ["patient": patient]).map { row in
            Item(
                source: "\(source.kind):\(row[0] as Int64)",
                day: row[1] as String? ?? "",
                description: row[2],
                amount: row[3],
                itemCode: row[4],
                branch: row[5],
                pricedBy: source.pricedBy
            )
        }
    }
}
