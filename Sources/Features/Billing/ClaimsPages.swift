import ClinicBoxCore
import GRDB
import Hummingbird

/// `/billing/claims`: the payers' claims of the user's branches — what is still owed per payer by age, then the
/// claims a filter (payer, status, issued between) picks, each with the desk's next step: mark it submitted,
/// record what the payer paid, or record its rejection with the payer's reason. The same filter downloads as CSV
/// (the claims to submit to one payer for a period, to send with its claim form).
package struct ClaimsPages {
    package let pages: ModulePages

    struct Filter: Sendable {
        var payer: String?
        var status: String?
        var from: CalendarDate?
        var to: CalendarDate?

        init(payer: String?, status: String?) {
            (self.payer, self.status) = (payer, status)
        }

        init(_ request: Request, payers: [TenantDefinition.Payer]) {
            let query = request.uri.queryParameters
            payer = query.get("payer").flatMap { code in payers.first { $0.code.lowercased() == code.lowercased() }?.code }
            status = query.get("status").map { Claims.statuses.contains($0) ? $0 : nil } ?? "to_submit"
            from = query.get("from").flatMap(CalendarDate.init)
            to = query.get("to").flatMap(CalendarDate.init)
        }

        var query: [(String, String)] {
            [("payer", payer ?? ""), ("status", status ?? ""), ("from", from?.description ?? ""), ("to", to?.description ?? "")]
        }
    }

    package func list(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        try await page(request, context, refused: nil)
    }

    /// The page; after a refused answer, filtered to that claim's payer and status so its row shows the message.
    func page(
        _ request: Request,
        _ context: PageRequestContext,
        refused: (claim: Int64, refusal: FormRefusal, filter: Filter)?
    ) async throws -> Response {
        let definition = context.tenant.definition
        let filter = refused?.filter ?? Filter(request, payers: definition.payers)
        let (currency, today) = (definition.currency, CalendarDate.today(in: context.tenant.timeZone))
        let (claims, aged) = try await context.storage.database().read { db in
            (try Self.claims(db, filter, branches: context.user.branchFilter), try Self.aged(db, on: today, branches: context.user.branchFilter))
        }
        let money = { (amount: Int64) in Money.format(amount, currency: currency) }
        if request.uri.queryParameters.get("format") == "csv" {
            return Self.csv(
                claims,
                definition: definition,
                filename: "\(definition.id)-claims-\(filter.payer ?? "all")-\(filter.status ?? "any").csv"
            )
        }
        let canWrite = context.allows(.billingWrite)
        let rows = claims.map { claim -> [String: Any] in
            let left = claim.amount - claim.paid
            var row: [String: Any] = [
                "id": String(claim.id), "number": claim.number, "payer": definition.payer(claim.payer)?.name ?? claim.payer,
                "member": claim.memberNumber, "patient": claim.patient, "invoice": claim.invoice,
                "invoiceHref": "\(context.basePath)/billing/invoices/\(claim.invoiceID)", "issued": ReadableTime.day(claim.issuedOn),
                "amount": money(claim.amount), "paid": money(claim.paid), "status": Claims.statusText[claim.status] ?? claim.status,
                "version": String(claim.version), "canSubmit": canWrite && claim.status == "to_submit",
                "isOpen": canWrite && ["to_submit", "submitted", "part_paid"].contains(claim.status), "left": Money.number(left, currency: currency),
            ]
            if let reason = claim.rejectionReason { row["reason"] = reason }
            if let (id, refusal, _) = refused, id == claim.id {
                // A field's message beside it; a refusal of the whole answer (a stale version, a closed claim) above.
                (row["amountError"], row["reasonError"]) = (refusal.errors["amount"], refusal.errors["reason"])
                if refusal.errors.isEmpty { row["message"] = refusal.message }
                row["typedAmount"] = refusal.values["amount"] ?? ""
                row["typedReference"] = refusal.values["reference"] ?? ""
                row["typedReason"] = refusal.values["reason"] ?? ""
                row["open"] = true
            }
            return row
        }
        let data: [String: Any] = [
            "rows": rows, "hasRows": !rows.isEmpty,
            "aged": aged.map { payer, buckets in
                ["payer": definition.payer(payer)?.name ?? payer].merging(zip(["a", "b", "c", "d"], buckets.map(money)).map { $0 }) { $1 }
            },
            "hasAged": !aged.isEmpty,
            "payers": [["value": "", "label": "Every payer", "selected": filter.payer == nil]]
                + definition.payers.map { ["value": $0.code, "label": $0.name, "selected": $0.code == filter.payer] },
            "statuses": [["value": "", "label": "Any", "selected": filter.status == nil]]
                + Claims.statuses.map { ["value": $0, "label": Claims.statusText[$0]!, "selected": $0 == filter.status] },
            "from": filter.from?.description ?? "", "to": filter.to?.description ?? "",
            "total": money(claims.reduce(0) { $0 + $1.amount }),
            "csv": "\(context.basePath)/billing/claims?" + (filter.query + [("format", "csv")]).map { "\($0.0)=\($0.1)" }.joined(separator: "&"),
            "back": "\(context.basePath)/billing/claims?" + filter.query.map { "\($0.0)=\($0.1)" }.joined(separator: "&"),
            "today": today.description,
        ]
        return pages.page(context, "claims", title: "Claims", data: data, status: refused?.refusal.status ?? .ok)
    }

    package func submit(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        try await answer(request, context) { db, id, version, _, terms in try Claims.submit(db, claim: id, version: version, terms: terms) }
    }

    package func remit(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        try await answer(request, context) { db, id, version, body, terms in
            let typed = body["amount"] ?? ""
            var amount: Int64?
            if !typed.isEmpty {
                guard let parsed = Money.parse(typed, currency: terms.currency), parsed > 0 else {
                    throw Problem.invalid("amount", "write the amount the payer paid, like 1500 or 15.00")
                }
                amount = parsed
            }
            try Claims.remit(db, claim: id, version: version, amount: amount, reference: body["reference"], terms: terms)
        }
    }

    package func reject(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        try await answer(request, context) { db, id, version, body, terms in
            guard let reason = body["reason"], !reason.isEmpty else { throw Problem.invalid("reason", "write the payer's reason for the rejection") }
            try Claims.reject(db, claim: id, version: version, reason: reason, terms: terms)
        }
    }

    /// Records one answer from a row's form and comes back to the list as it was filtered; a refused answer shows
    /// the list again with the message on that claim's row and what was typed.
    private func answer(
        _ request: Request,
        _ context: PageRequestContext,
        record: @escaping @Sendable (Database, Int64, Int64, [String: String], BillingTerms) throws -> Void
    ) async throws -> Response {
        let body = try await context.submittedForm(request)
        let id = try context.recordID(entity: "claim")
        let version = Int64(body["version"] ?? "") ?? 0
        let (terms, branches, values) = (BillingTerms(context), context.user.branchFilter, body.values)
        do {
            try await context.storage.database().write { db in
                try ClaimsAPI.requireVisible(db, claim: id, branches: branches)
                try record(db, id, version, values, terms)
            }
        } catch let problem as Problem where [.unprocessableContent, .conflict].contains(problem.status) {
            let refusal = FormRefusal(form: "claim", values: values, errors: problem.fieldErrors, message: problem.pageText, status: problem.status)
            let claim = try await context.storage.database().read { db -> [String?] in
                let row = try Row.fetchOne(db, sql: "SELECT payer, status FROM claims WHERE id = ?", arguments: [id])
                return [row?["payer"], row?["status"]]
            }
            let filter = Filter(payer: claim[0], status: claim[1])
            return try await page(request, context, refused: (id, refusal, filter))
        }
        let back = body["back"].flatMap { $0.hasPrefix(context.basePath + "/billing/claims") ? $0 : nil }
        return Pages.seeOther(back ?? context.basePath + "/billing/claims")
    }

    struct Claim: Sendable {
        var id: Int64
        var number: String
        var payer: String
        var memberNumber: String
        var patient: String
        var invoice: String
        var invoiceID: Int64
        var issuedOn: String
        var amount: Int64
        var paid: Int64
        var status: String
        var rejectionReason: String?
        var version: Int64
        var preauthorisations: String
    }

    static func claims(_ db: Database, _ filter: Filter, branches: [String]?) throws -> [Claim] {
        var conditions = SQLConditions()
        if let branches { conditions.add(column: "i.branch", in: branches) }
        if let payer = filter.payer { conditions.add("c.payer = ?", [payer]) }
        if let status = filter.status { conditions.add("c.status = ?", [status]) }
        if let from = filter.from { conditions.add("i.issued_on >= ?", [from.description]) }
        if let to = filter.to { conditions.add("i.issued_on <= ?", [to.description]) }
        return try Row.fetchAll(
            db,
            sql: """
                SELECT c.*, i.number AS invoice, i.issued_on, p.first_name || ' ' || p.last_name || ' (' || p.number || ')' AS patient,
                    (SELECT group_concat(DISTINCT preauthorisation) FROM invoice_lines WHERE invoice_id = i.id) AS preauthorisations
                FROM claims c JOIN invoices i ON i.id = c.invoice_id JOIN patients p ON p.id = i.patient_id
                \(conditions.whereClause) ORDER BY c.payer, i.issued_on, c.id LIMIT 1000
                """,
            arguments: conditions.arguments
        ).map { row in
            Claim(
                id: row["id"],
                number: row["number"],
                payer: row["payer"],
                memberNumber: row["member_number"],
                patient: row["patient"],
                invoice: row["invoice"],
                invoiceID: row["invoice_id"],
                issuedOn: row["issued_on"],
                amount: row["amount"],
                paid: row["paid"],
                status: row["status"],
                rejectionReason: row["rejection_reason"],
                version: row["version"],
                preauthorisations: row["preauthorisations"] ?? ""
            )
        }
    }

    /// What each payer still owes on open claims, by days since the invoice: 0–30, 31–60, 61–90, over 90.
    /// What each payer still owes by the age of its invoices on `today`, the tenant's day (not the server's).
    static func aged(_ db: Database, on today: CalendarDate, branches: [String]?) throws -> [(String, [Int64])] {
        var conditions = SQLConditions()
        conditions.add("c.status IN ('to_submit', 'submitted', 'part_paid')", [])
        if let branches { conditions.add(column: "i.branch", in: branches) }
        return try Row.fetchAll(
            db,
            sql: """
                SELECT c.payer,
                    sum(CASE WHEN age <= 30 THEN owed ELSE 0 END) AS a, sum(CASE WHEN age BETWEEN 31 AND 60 THEN owed ELSE 0 END) AS b,
                    sum(CASE WHEN age BETWEEN 61 AND 90 THEN owed ELSE 0 END) AS c, sum(CASE WHEN age > 90 THEN owed ELSE 0 END) AS d
                FROM (SELECT c.payer, c.amount - c.paid AS owed, CAST(julianday(?) - julianday(i.issued_on) AS INTEGER) AS age
                    FROM claims c JOIN invoices i ON i.id = c.invoice_id \(conditions.whereClause)) c
                GROUP BY c.payer ORDER BY c.payer
                """,
            arguments: [today.description] + conditions.arguments
        ).map { ($0["payer"], [$0["a"], $0["b"], $0["c"], $0["d"]]) }
    }

    /// The claims as the payer's claim form asks for them: one line each, amounts as the currency writes them.
    static func csv(_ claims: [Claim], definition: TenantDefinition, filename: String) -> Response {
        var text = "payer,claim,member number,patient,invoice,issued on,pre-authorisation,amount,paid,status\r\n"
        for claim in claims {
            text +=
                [
                    definition.payer(claim.payer)?.name ?? claim.payer, claim.number, claim.memberNumber, claim.patient, claim.invoice,
                    claim.issuedOn,
                    claim.preauthorisations, Money.number(claim.amount, currency: definition.currency),
                    Money.number(claim.paid, currency: definition.currency), claim.status,
                ].map(CSV.field).joined(separator: ",") + "\r\n"
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(filename)\"", .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }
}
