import ClinicBoxCore
import GRDB

/// A patient's membership of a payer: the member number the payer knows them by, and until when it holds. A new
/// card is a new membership; the old one stays, as the invoices that used it do.
struct Membership: Sendable, Equatable {
    var id: Int64
    var payer: String
    var number: String
    /// The last day it holds (`YYYY-MM-DD`); nil: until further notice.
    var validUntil: String?

    init(row: Row) {
        (id, payer, number, validUntil) = (row["id"], row["payer"], row["member_number"], row["valid_until"])
    }

    /// Whether it holds on `day` (its last day included).
    func holds(on day: CalendarDate) -> Bool { validUntil.map { $0 >= day.description } ?? true }

    /// The patient's newest membership of `payer` that holds on `day`.
    static func valid(_ db: Database, patient: Int64, payer: String, on day: CalendarDate) throws -> Membership? {
        try db.fetchOneCached(
            """
            SELECT * FROM payer_memberships WHERE patient_id = ? AND payer = ? AND (valid_until IS NULL OR valid_until >= ?)
            ORDER BY id DESC LIMIT 1
            """,
            [patient, payer, day.description]
        ).map(Membership.init(row:))
    }

    static func all(_ db: Database, patient: Int64) throws -> [Membership] {
        try Row.fetchAll(db, sql: "SELECT * FROM payer_memberships WHERE patient_id = ? ORDER BY id DESC", arguments: [patient])
            .map(Membership.init(row:))
    }

    /// Records a membership (payer from the tenant file, member number, valid until) with its audit entry.
    static func add(
        _ db: Database,
        patient: Int64,
        payer: String,
        number: String,
        validUntil: CalendarDate?,
        terms: BillingTerms
    ) throws -> Int64 {
        guard let known = terms.payers.first(where: { $0.code.lowercased() == payer.lowercased() }) else {
            throw Problem.invalid("payer", "must be one of this clinic's payers: \(terms.payers.map(\.code).joined(separator: ", "))")
        }
        try PaymentsAPI.requirePatient(db, patient)
        if try Bool.fetchOne(
            db,
            sql: "SELECT EXISTS (SELECT 1 FROM payer_memberships WHERE patient_id = ? AND payer = ? AND member_number = ?)",
            arguments: [patient, known.code, number]
        ) == true {
            throw Problem.invalid("member_number", "is already recorded for this patient with \(known.name)")
        }
        try db.execute(
            sql: """
                INSERT INTO payer_memberships (patient_id, payer, member_number, valid_until, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [patient, known.code, number, validUntil?.description, terms.userID, Timestamp.now]
        )
        let id = db.lastInsertedRowID
        try AuditLog.record(
            db,
            actor: terms.actor,
            action: "billing.membership_added",
            entityType: "payer_membership",
            entityID: String(id),
            changes: [
                "payer": .init(before: nil, after: known.name), "member_number": .init(before: nil, after: number),
                "valid_until": .init(before: nil, after: validUntil?.description),
            ]
        )
        return id
    }
}
