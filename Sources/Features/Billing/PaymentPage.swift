import ClinicBoxCore
import GRDB
import Hummingbird

/// `/billing/payments/{id}`: one payment — what it settled, what was paid back of it — with its receipt, and the
/// *Pay back* form that records a refund. A refund is its own numbered document with its own printed slip; a refused
/// one comes back here with what was typed and the message beside its field.
package struct PaymentPage {
    package let pages: ModulePages

    package func show(_: Request, _ context: PageRequestContext) async throws -> Response {
        try await page(context, payment: try context.recordID(entity: "payment"), refused: nil)
    }

    func page(_ context: PageRequestContext, payment id: Int64, refused: FormRefusal?) async throws -> Response {
        let (branches, tenant, base) = (context.user.branchFilter, context.tenant, context.basePath)
        let currency = tenant.definition.currency
        let money = { @Sendable (amount: Int64) in Money.format(amount, currency: currency) }
        let readable = tenant.readableTime
        let (facts, settled, refunds, amounts) = try await context.storage.database().read { db in
            try PaymentsAPI.requireVisible(db, payment: id, branches: branches)
            let payment = try Row.fetchOne(db, sql: Payments.shownSQL, arguments: [id])!
            var facts: [String: String] = [
                "number": payment["number"], "moment": readable.moment(payment["created_at"]), "patient": payment["patient"] ?? "",
                "statement": "\(base)/billing/patients/\(payment["patient_id"] as Int64)/statement", "method": payment["method"],
                "amount": money(payment["amount"]), "print": "\(base)/billing/payments/\(id)/print",
            ]
            (facts["reference"], facts["cashier"]) = (payment["reference"], payment["cashier"])
            let settled = try Row.fetchAll(
                db,
                sql:
                    "SELECT i.id, i.number, a.amount FROM payment_allocations a JOIN invoices i ON i.id = a.invoice_id WHERE a.payment_id = ? ORDER BY a.id",
                arguments: [id]
            ).map { ["number": $0["number"] as String, "href": "\(base)/billing/invoices/\($0["id"] as Int64)", "amount": money($0["amount"])] }
            let refunds = try Row.fetchAll(
                db,
                sql: """
                    SELECT r.id, r.number, r.refunded_on, r.method, r.amount, r.reason, (SELECT display_name FROM users WHERE id = r.refunded_by) AS cashier
                    FROM refunds r WHERE r.payment_id = ? ORDER BY r.id
                    """,
                arguments: [id]
            ).map { row in
                [
                    "number": row["number"] as String, "day": ReadableTime.day(row["refunded_on"] as String),
                    "method": Payments.methodText[row["method"] as String] ?? row["method"], "amount": money(row["amount"]),
                    "reason": row["reason"] as String, "cashier": row["cashier"] as String? ?? "",
                    "print": "\(base)/billing/refunds/\(row["id"] as Int64)/print",
                ]
            }
            let credit = try PatientAccount.read(db, patient: payment["patient_id"]).credit
            return (
                facts, settled, refunds, (left: payment["refundable"] as Int64, credit: credit, isRemittance: payment["claim_id"] as Int64? != nil)
            )
        }
        // What may go back: what is left of this payment, and no more than the clinic holds for the patient.
        let refundable = min(amounts.left, max(amounts.credit, 0))
        let method = facts["method"] ?? ""
        var data: [String: Any] = facts.merging(["method": Payments.methodText[method] ?? method, "credit": money(max(amounts.credit, 0))]) { $1 }
        (data["settled"], data["refunds"], data["hasRefunds"]) = (settled, refunds, !refunds.isEmpty)
        if amounts.isRemittance { data["remittance"] = true }
        if context.allows(.billingWrite) && !amounts.isRemittance && refundable > 0 {
            data["canRefund"] = true
            data["refundAction"] = "\(base)/billing/payments/\(id)/refunds"
            data["refundable"] = money(refundable)
            data["refundLimit"] = Self.limitText(BillingTerms(context), money: money)
            data["refundFields"] = Self.fields(
                values: refused?.values ?? [:],
                errors: refused?.errors ?? [:],
                amount: Money.number(refundable, currency: currency),
                method: method
            )
            if let message = refused?.message { data["refundMessage"] = message }
        }
        return pages.page(context, "payment", title: "Payment \(facts["number"] ?? "")", data: data, status: refused?.status ?? .ok)
    }

    /// `POST /billing/payments/{id}/refunds`: pays money back from the payment; then its page lists the refund.
    package func refund(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let id = try context.recordID(entity: "payment")
        let terms = BillingTerms(context)
        let branches = context.user.branchFilter
        let amount = Money.parse(body["amount"] ?? "", currency: terms.currency)
        let method = body["method"] ?? ""
        let reason = body["reason"]?.trimmingSpaces ?? ""
        var errors: [String: String] = [:]
        if (amount ?? 0) <= 0 { errors["amount"] = "write the amount paid back, like \(Money.example(terms.currency))" }
        if !Payments.refundMethods.contains(method) { errors["method"] = "choose how the money is paid back" }
        if reason.isEmpty { errors["reason"] = "say why the money is paid back" }
        if errors.isEmpty, let amount {
            do {
                _ = try await context.storage.database().write { db in
                    try PaymentsAPI.requireVisible(db, payment: id, branches: branches)
                    return try Payments.refund(db, payment: id, amount: amount, method: method, reason: String(reason.prefix(500)), terms: terms)
                }
                return Pages.seeOther("\(context.basePath)/billing/payments/\(id)")
            } catch let problem as Problem where [.conflict, .unprocessableContent, .forbidden].contains(problem.status) {
                errors = problem.fieldErrors.filter { ["amount", "method", "reason"].contains($0.key) }
                let refusal = FormRefusal(
                    form: "refund",
                    values: body.values,
                    errors: errors,
                    message: errors.isEmpty ? problem.detail : nil,
                    status: problem.status
                )
                return try await page(context, payment: id, refused: refusal)
            }
        }
        let refusal = FormRefusal(form: "refund", values: body.values, errors: errors, message: nil, status: .unprocessableContent)
        return try await page(context, payment: id, refused: refusal)
    }

    static func fields(values: [String: String], errors: [String: String], amount: String, method: String) -> [FormField] {
        [
            FormField(
                name: "amount",
                label: "Amount paid back",
                value: values["amount"] ?? amount,
                required: true,
                autocomplete: "off",
                error: errors["amount"]
            ),
            FormField(
                name: "method",
                label: "Paid back by",
                kind: .select(options: Payments.refundMethods.map { ($0, PaymentForm.methodNames[$0] ?? $0) }),
                value: values["method"] ?? (Payments.refundMethods.contains(method) ? method : "cash"),
                required: true,
                error: errors["method"]
            ),
            FormField(name: "reason", label: "Why", value: values["reason"] ?? "", required: true, error: errors["reason"]),
        ]
    }

    /// What the form says about a manager's approval, for the user who is not one.
    static func limitText(_ terms: BillingTerms, money: (Int64) -> String) -> String? {
        guard !terms.mayApprove else { return nil }
        return terms.rules.refundLimit.map { "A refund over \(money($0)) needs a manager." } ?? "A refund needs a manager."
    }
}
