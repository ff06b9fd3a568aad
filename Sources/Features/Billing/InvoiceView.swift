import ClinicBoxCore
import GRDB

/// One invoice as its page shows it: the lines and totals, the credit notes, and — on a draft, for those who
/// bill — the forms that add a line, set the discount and issue it; on an issued one, for a manager, the credit form.
struct InvoiceView: Sendable {
    let id: Int64
    let title: String
    private let lines: [[String: String]]
    private let isDraft: Bool
    private let services: [(value: String, label: String)]
    private let tax: TenantDefinition.Tax
    private let flags: [String: Bool]
    private let facts: [String: String]
    private let totals: [[String: String]]
    private let creditNotes: [[String: String]]
    private let payments: [[String: String]]
    /// The branch's code, for the printout's letterhead.
    let branch: String
    private let base: String
    private let due: Int64
    private let credit: Int64
    private let currency: String
    private let work: [[String: any Sendable]]
    /// The patient's memberships valid today, offered on a draft (`value` payer code, `label`).
    private let memberships: [[String: String]]

    init(_ db: Database, id: Int64, context: PageRequestContext) throws {
        let invoice = try InvoiceRecords.changes.current(db, id: id)
        let currency: String = invoice["currency"]
        let money = { (amount: Int64) in Money.format(amount, currency: currency) }
        let status: String = invoice["status"]
        let number: String? = invoice["number"]
        self.id = id
        self.currency = currency
        branch = invoice["branch"]
        base = context.basePath
        due = status == "draft" ? 0 : max(0, (invoice["total"] as Int64) - (invoice["credited"] as Int64) - (invoice["paid"] as Int64))
        credit = due > 0 ? max(0, try PatientAccount.read(db, patient: invoice["patient_id"]).credit) : 0
        tax = context.tenant.definition.tax
        isDraft = status == "draft"
        title = number.map { "Invoice \($0)" } ?? "Draft invoice"
        let patient = try db.fetchOneCached("SELECT id, number, first_name, last_name FROM patients WHERE id = ?", [invoice["patient_id"] as Int64])
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT l.*, (SELECT credit_notes.number FROM credit_note_lines JOIN credit_notes ON credit_notes.id = credit_note_lines.credit_note_id
                    WHERE credit_note_lines.invoice_line_id = l.id) AS credited_by
                FROM invoice_lines l WHERE l.invoice_id = ? ORDER BY l.position
                """,
            arguments: [id]
        )
        let canWrite = context.allows(.billingWrite)
        let canApprove = context.allows(.billingApprove)
        lines = rows.map { row in
            let discount: Int64 = row["discount_total"]
            var line: [String: String] = [
                "position": String(row["position"] as Int64), "id": String(row["id"] as Int64), "description": row["description"],
                "quantity": String(row["quantity"] as Int64), "unitPrice": money(row["unit_price"]),
                "tax": "\(row["tax_class"] as String) \(TenantDefinition.Tax.percent(row["tax_rate"]))%", "total": money(row["total"]),
            ]
            if discount > 0 { line["discount"] = "− " + money(discount) + ((row["discount_reason"] as String?).map { " (\($0))" } ?? "") }
            if let reason = row["reason"] as String? { line["reason"] = reason }
            if let code = row["item_code"] as String? { line["code"] = code }
            if let by = row["credited_by"] as String? { line["creditedBy"] = by }
            return line
        }
        let open = rows.filter { ($0["credited_by"] as String?) == nil }
        let offered = try Row.fetchAll(db, sql: "SELECT id, code, name, price, kind FROM billing_services WHERE active = 1 ORDER BY sort_name")
        services = offered.map { (String($0["id"] as Int64), "\($0["name"] as String) (\($0["code"] as String)) · \(money($0["price"]))") }
        // On a draft, the patient's work not yet billed, each with its own *Add* (a visit with its consultation type).
        let unbilled =
            isDraft && canWrite
            ? try BillableWork.unbilled(
                db,
                patient: invoice["patient_id"],
                sources: context.tenant.billables,
                branches: context.user.branchFilter
            )
            : []
        work = unbilled.map { item in
            var row: [String: any Sendable] = [
                "source": item.source, "description": item.description, "day": item.day.isEmpty ? "" : ReadableTime.day(item.day),
                "amount": item.amount.map(money) ?? "",
            ]
            if let kind = item.pricedBy {
                row["choices"] = offered.filter { $0["kind"] as String == kind }.map {
                    ["id": String($0["id"] as Int64), "label": "\($0["name"] as String) · \(money($0["price"]))"]
                }
                row["choose"] = "Billed as"
            }
            return row
        }
        let byRate = Dictionary(grouping: rows) { $0["tax_rate"] as Int64 }.filter { $0.key > 0 }.sorted { $0.key < $1.key }
        var totals: [[String: String]] = [["label": "Subtotal", "amount": money(invoice["subtotal"])]]
        if invoice["discount_total"] as Int64 > 0 {
            let reason = (invoice["discount_reason"] as String?).map { " (on the whole: \($0))" } ?? ""
            totals.append(["label": "Discounts" + reason, "amount": "− " + money(invoice["discount_total"])])
        }
        for (rate, taxed) in byRate {
            let included = invoice["prices_include_tax"] as Bool ? " included" : ""
            totals.append([
                "label": "Tax \(TenantDefinition.Tax.percent(Int(rate)))%\(included)", "amount": money(taxed.reduce(0) { $0 + ($1["tax"] as Int64) }),
            ])
        }
        totals.append(["label": "Total", "amount": money(invoice["total"]), "strong": "true"])
        let payerTotal: Int64 = invoice["payer_total"]
        let payer = context.tenant.definition.payer(invoice["payer"])
        if let payer, payerTotal > 0 {
            totals.append(["label": "\(payer.name)'s share (member \(invoice["member_number"] as String? ?? ""))", "amount": money(payerTotal)])
            totals.append(["label": "The patient's share", "amount": money((invoice["total"] as Int64) - payerTotal)])
        }
        if invoice["credited"] as Int64 > 0 { totals.append(["label": "Credited", "amount": "− " + money(invoice["credited"])]) }
        if invoice["paid"] as Int64 > 0 { totals.append(["label": "Paid", "amount": "− " + money(invoice["paid"])]) }
        if !isDraft {
            totals.append([
                "label": "Balance", "amount": money((invoice["total"] as Int64) - (invoice["credited"] as Int64) - (invoice["paid"] as Int64)),
                "strong": "true",
            ])
        }
        self.totals = totals
        creditNotes = try Row.fetchAll(
            db,
            sql: "SELECT id, number, issued_on, reason, total FROM credit_notes WHERE invoice_id = ? ORDER BY id",
            arguments: [id]
        ).map {
            [
                "number": $0["number"], "day": ReadableTime.day($0["issued_on"] as String), "reason": $0["reason"], "total": money($0["total"]),
                "href": "\(context.basePath)/billing/credit-notes/\($0["id"] as Int64)/print",
            ]
        }
        payments = try Row.fetchAll(
            db,
            sql: """
                SELECT p.id, p.number, p.received_on, p.method, p.reference, a.amount, a.created_at FROM payment_allocations a
                LEFT JOIN payments p ON p.id = a.payment_id WHERE a.invoice_id = ? ORDER BY a.id
                """,
            arguments: [id]
        ).map { row in
            guard let number = row["number"] as String? else {
                return [
                    "day": ReadableTime.day(String((row["created_at"] as String).prefix(10))), "what": "From credit on account",
                    "amount": money(row["amount"]),
                ]
            }
            let method = Payments.methodText[row["method"] as String] ?? row["method"]
            return [
                "day": ReadableTime.day(row["received_on"] as String), "number": number, "amount": money(row["amount"]),
                "what": method + ((row["reference"] as String?).map { " \($0)" } ?? ""),
                "receipt": "\(context.basePath)/billing/payments/\(row["id"] as Int64)",
            ]
        }
        let today = CalendarDate.today(in: context.tenant.timeZone)
        memberships =
            isDraft
            ? try Membership.all(db, patient: invoice["patient_id"]).filter { $0.holds(on: today) }.compactMap { member in
                context.tenant.definition.payer(member.payer).map { ["value": $0.code, "label": "\($0.name), member \(member.number)"] }
            } : []
        var facts: [String: String] = [
            "status": InvoicesPages.statusText[status] ?? status, "branch": context.tenant.branchName(invoice["branch"]),
            "version": String(invoice["version"] as Int64),
            "wholeDiscount": invoice["discount"] as Int64 > 0 ? Money.number(invoice["discount"], currency: currency) : "",
            "wholeDiscountReason": invoice["discount_reason"] as String? ?? "",
        ]
        if let number { facts["number"] = number }
        if let payer { (facts["payer"], facts["payerCode"]) = (payer.name, payer.code) }
        if let claim = try Row.fetchOne(db, sql: "SELECT number, status FROM claims WHERE invoice_id = ?", arguments: [id]) {
            facts["claim"] = "Claim \(claim["number"] as String) to \(payer?.name ?? ""): \(Claims.statusText[claim["status"] as String] ?? "")"
            facts["claimsHref"] = "\(context.basePath)/billing/claims?status=\(claim["status"] as String)"
        }
        if let issued = invoice["issued_on"] as String? { facts["issuedOn"] = ReadableTime.day(issued) }
        if let patient {
            facts["patient"] = "\(patient["first_name"] as String) \(patient["last_name"] as String)"
            facts["patientNumber"] = patient["number"]
            facts["patientHref"] = "\(context.basePath)/patients/\(patient["id"] as Int64)"
            facts["patientID"] = String(patient["id"] as Int64)
        }
        self.facts = facts
        flags = [
            "isDraft": isDraft, "canChange": isDraft && canWrite, "canIssue": isDraft && canWrite && !rows.isEmpty,
            "canCredit": !isDraft && canApprove && !open.isEmpty, "canTake": due > 0 && canWrite, "canUseCredit": due > 0 && credit > 0 && canWrite,
            "hasLines": !rows.isEmpty, "hasCreditNotes": !creditNotes.isEmpty, "hasPayments": !payments.isEmpty,
            "canChoosePayer": isDraft && canWrite && (!memberships.isEmpty || payer != nil),
        ]
    }

    /// The page's values; a refused form shows what was typed with its messages, the others start empty.
    func data(refused: FormRefusal?) -> [String: Any] {
        let path = "\(base)/billing/invoices/\(id)"
        var data: [String: Any] = flags.mapValues { $0 as Any }.merging(facts.mapValues { $0 as Any }) { $1 }.merging([
            "lines": lines, "totals": totals, "creditNotes": creditNotes, "payments": payments, "path": path,
            "addFields": addFields(refused?.of("service")), "freeFields": freeFields(refused?.of("free")),
            "discountFields": discountFields(refused?.of("discount")),
            "creditReason": FormField(
                name: "credit_reason",
                label: "Why it is credited (printed on the credit note)",
                value: refused?.of("credit")?.values["credit_reason"] ?? "",
                required: true,
                error: refused?.of("credit")?.errors["credit_reason"]
            ),
            "openLines": lines.filter { $0["creditedBy"] == nil }, "work": work, "hasWork": !work.isEmpty,
            "paymentFields": PaymentForm.fields(
                values: refused?.of("payment")?.values ?? [:],
                errors: refused?.of("payment")?.errors ?? [:],
                due: due,
                currency: currency
            ),
            "creditText": Money.format(min(credit, due), currency: currency),
            "payerFields": payerFields(refused?.of("payer")),
            "statement": "\(base)/billing/patients/\(facts["patientID"] ?? "")/statement",
        ]) { $1 }
        if let refused { data["message_" + refused.form] = refused.message ?? (refused.errors.isEmpty ? nil : "Please correct the marked fields.") }
        return data
    }

    /// What the printed invoice shows: the document, never a form.
    func printData() -> [String: Any] {
        flags.mapValues { $0 as Any }.merging(facts.mapValues { $0 as Any }) { $1 }.merging([
            "lines": lines, "totals": totals, "creditNotes": creditNotes, "payments": payments,
        ]) { $1 }
    }

    private func addFields(_ refused: FormRefusal?) -> [FormField] {
        let (values, errors) = (refused?.values ?? [:], refused?.errors ?? [:])
        func field(_ name: String, _ label: String, _ kind: FormField.Kind = .input(type: "text"), required: Bool = false) -> FormField {
            FormField(name: name, label: label, kind: kind, value: values[name] ?? "", required: required, autocomplete: "off", error: errors[name])
        }
        return [
            field("service_id", "From the price list", .select(options: [("", "— choose —")] + services), required: true),
            field("quantity", "Quantity (default 1)", .input(type: "number")),
            field("discount", "Discount (an amount, or a percentage like 10%)"),
            field("discount_reason", "Why the discount"),
        ]
    }

    private func payerFields(_ refused: FormRefusal?) -> [FormField] {
        let chosen = refused?.values["payer"] ?? facts["payerCode"] ?? ""
        return [
            FormField(
                name: "payer",
                label: "Who else pays",
                kind: .select(options: [("", "Nobody: the patient pays all")] + memberships.map { ($0["value"] ?? "", $0["label"] ?? "") }),
                value: chosen,
                error: refused?.errors["payer"]
            ),
            FormField(
                name: "preauthorisation",
                label: "Pre-authorisation reference (for every line the payer pays)",
                value: refused?.values["preauthorisation"] ?? "",
                autocomplete: "off",
                error: refused?.errors["preauthorisation"]
            ),
        ]
    }

    private func freeFields(_ refused: FormRefusal?) -> [FormField] {
        let (values, errors) = (refused?.values ?? [:], refused?.errors ?? [:])
        func field(_ name: String, _ label: String, _ kind: FormField.Kind = .input(type: "text"), required: Bool = false) -> FormField {
            FormField(name: name, label: label, kind: kind, value: values[name] ?? "", required: required, autocomplete: "off", error: errors[name])
        }
        let classes = tax.classNames.map { ($0, "\($0) (\(TenantDefinition.Tax.percent(tax.classes[$0] ?? 0))%)") }
        return [
            field("free_description", "What is billed", required: true), field("free_unit_price", "Price (each)", required: true),
            field("free_quantity", "Quantity (default 1)", .input(type: "number")), field("free_tax_class", "Tax class", .select(options: classes)),
            field("free_reason", "Why it is not on the price list", required: true),
        ]
    }

    private func discountFields(_ refused: FormRefusal?) -> [FormField] {
        let stored = ["whole_discount": facts["wholeDiscount"] ?? "", "whole_discount_reason": facts["wholeDiscountReason"] ?? ""]
        let (values, errors) = (refused?.values ?? stored, refused?.errors ?? [:])
        return [
            FormField(
                name: "whole_discount",
                label: "Discount on the whole (an amount, or a percentage like 10%)",
                value: values["whole_discount"] ?? "",
                autocomplete: "off",
                error: errors["whole_discount"]
            ),
            FormField(
                name: "whole_discount_reason",
                label: "Why the discount",
                value: values["whole_discount_reason"] ?? "",
                autocomplete: "off",
                error: errors["whole_discount_reason"]
            ),
        ]
    }
}
