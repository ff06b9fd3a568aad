import ClinicBoxCore
import GRDB
import Hummingbird

/// `/api/v1/claims`: payers' shares of issued invoices and their answers, kept to the user's branches (a claim is
/// its invoice's), and `/api/v1/patients/{id}/memberships`: who the patient is insured with.
package struct ClaimsAPI {
    package static let sorting = ListPage.Sorting([.init(name: "id", column: "id")], default: "-id")

    static let json = """
        json_object('id', claims.id, \(SQLJSON.columns("claims", ["number", "invoice_id"])), 'invoice_number', invoices.number, \
        'patient_id', invoices.patient_id, 'branch', invoices.branch, 'issued_on', invoices.issued_on, \
        \(SQLJSON.columns("claims", ["payer", "member_number", "amount", "paid", "status", "submitted_on", "rejection_reason", "rejected_on", "version", "created_at", "updated_at"])), \
        'events', (SELECT json_group_array(json_object('status', e.status, 'amount', e.amount, 'note', e.note, 'at', e.at)) \
        FROM (SELECT * FROM claim_events e WHERE e.claim_id = claims.id ORDER BY e.id) e))
        """
    static let joins = "JOIN invoices ON invoices.id = claims.invoice_id"

    /// `?payer=`, `?status=`, `?branch=`.
    package func list(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let query = ListQuery(request)
        let (payer, status) = (query.text("payer"), query.choice("status"))
        try query.finish()
        let page = try ListPage(request, sorting: Self.sorting)
        var conditions = try await context.branchConditions(request, column: "invoices.branch")
        if let payer { conditions.add("claims.payer = ? COLLATE NOCASE", [payer]) }
        if let status { conditions.add("claims.status = ?", [status]) }
        return try await page.fetch(context.storage.database(), item: Self.json, from: "claims", joins: Self.joins, conditions: conditions)
    }

    package func show(_: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id = try context.recordID()
        let branches = context.user.branchFilter
        let json = try await context.storage.database().read { db in
            try Self.requireVisible(db, claim: id, branches: branches)
            return try SQLJSON.fetch(db, Self.json, from: "claims", joins: Self.joins, id: id, entity: "claim")
        }
        return .json(bytes: ByteBuffer(string: json))
    }

    package func submit(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        try await answer(request, context, allowed: []) { db, id, version, _, terms in
            try Claims.submit(db, claim: id, version: version, terms: terms)
        }
    }

    package func remit(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        try await answer(request, context, allowed: ["amount", "reference"]) { db, id, version, fields, terms in
            try Claims.remit(db, claim: id, version: version, amount: fields.amount, reference: fields.reference, terms: terms)
        }
    }

    package func reject(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        try await answer(request, context, allowed: ["reason"]) { db, id, version, fields, terms in
            try Claims.reject(db, claim: id, version: version, reason: fields.reason ?? "", terms: terms)
        }
    }

    struct Answer: Sendable {
        var amount: Int64?
        var reference: String?
        var reason: String?
    }

    /// Reads `version` and the answer's fields, records the answer in one transaction, answers the claim.
    private func answer(
        _ request: Request,
        _ context: AuthenticatedContext,
        allowed: Set<String>,
        record: @escaping @Sendable (Database, Int64, Int64, Answer, BillingTerms) throws -> Void
    ) async throws -> Response {
        let id = try context.recordID()
        var fields = try await RequestFields.read(request, allowed: allowed.union(["version"]))
        let version = fields.integer("version", in: 1...Int64.max, required: true) ?? 0
        var answer = Answer()
        if allowed.contains("amount") { answer.amount = fields.integer("amount", in: 1...1_000_000_000_000) }
        if allowed.contains("reference") { answer.reference = fields.text("reference", maxLength: 60) }
        if allowed.contains("reason") { answer.reason = fields.text("reason", required: true, maxLength: 500) }
        try fields.finish()
        let (terms, branches) = (BillingTerms(context), context.user.branchFilter)
        let json = try await context.storage.database().write { [answer] db in
            try Self.requireVisible(db, claim: id, branches: branches)
            try record(db, id, version, answer, terms)
            return try SQLJSON.fetch(db, Self.json, from: "claims", joins: Self.joins, id: id, entity: "claim")
        }
        return .json(bytes: ByteBuffer(string: json))
    }

    static func requireVisible(_ db: Database, claim id: Int64, branches: [String]?) throws {
        guard let invoice = try Int64.fetchOne(db, sql: "SELECT invoice_id FROM claims WHERE id = ?", arguments: [id]) else {
            throw RecordChanges.notFound("claim")
        }
        do {
            try InvoiceRecords.changes.requireVisible(db, id: invoice, branches: branches)
        } catch {
            throw RecordChanges.notFound("claim")
        }
    }

    // MARK: Memberships

    static let membershipJSON = """
        json_object('id', payer_memberships.id, \(SQLJSON.columns("payer_memberships", ["patient_id", "payer", "member_number", "valid_until", "created_at"])))
        """

    package func memberships(_: Request, _ context: AuthenticatedContext) async throws -> Response {
        let patient = try context.recordID()
        let json = try await context.storage.database().read { db in
            try PaymentsAPI.requirePatient(db, patient)
            return try String.fetchOne(
                db,
                sql:
                    "SELECT json_group_array(json(m)) FROM (SELECT \(Self.membershipJSON) AS m FROM payer_memberships WHERE patient_id = ? ORDER BY id DESC)",
                arguments: [patient]
            ) ?? "[]"
        }
        return .json(bytes: ByteBuffer(string: #"{"items":\#(json)}"#))
    }

    package func addMembership(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let patient = try context.recordID()
        var fields = try await RequestFields.read(request, allowed: ["payer", "member_number", "valid_until"])
        let payer = fields.text("payer", required: true, maxLength: 20) ?? ""
        let number = fields.text("member_number", required: true, maxLength: 40) ?? ""
        let until = fields.date("valid_until")
        try fields.finish()
        let terms = BillingTerms(context)
        return try await Idempotency.write(request, context, fields: fields) { db in
            let id = try Membership.add(db, patient: patient, payer: payer, number: number, validUntil: until, terms: terms)
            return .init(status: .created, json: try SQLJSON.fetch(db, Self.membershipJSON, from: "payer_memberships", id: id, entity: "membership"))
        }
    }
}
