import ClinicBoxCore
import GRDB
import Hummingbird

/// Taking money on pages: on an invoice (for that invoice), on a patient's statement (for their open invoices,
/// oldest first), and settling an invoice from credit on account. A refused payment comes back on its page with
/// what was typed and the message beside the field.
package struct PaymentPages {
    package let pages: ModulePages

    package func statement(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        try await statementPage(context, patient: try context.recordID(entity: "patient"))
    }

    func statementPage(
        _ context: PageRequestContext,
        patient id: Int64,
        refused: FormRefusal? = nil,
        refusedMembership: FormRefusal? = nil
    ) async throws -> Response {
        let branches = context.user.branchFilter
        let currency = context.tenant.definition.currency
        let (statement, name, memberships) = try await context.storage.database().read { db in
            try PaymentsAPI.requirePatient(db, id)
            let name = try Row.fetchOne(db, sql: "SELECT number, first_name, last_name FROM patients WHERE id = ?", arguments: [id]).map {
                "\($0["first_name"] as String) \($0["last_name"] as String) (\($0["number"] as String))"
            }
            return (try PatientStatement.read(db, patient: id, branches: branches), name ?? "", try Membership.all(db, patient: id))
        }
        let money = { (amount: Int64) in Money.format(amount, currency: currency) }
        let account = statement.account
        var data: [String: Any] = [
            "patient": name, "chart": "\(context.basePath)/patients/\(id)", "print": "\(context.basePath)/billing/patients/\(id)/statement/print",
            "hasEntries": !statement.entries.isEmpty,
            "entries": statement.entries.map { entry in
                [
                    "day": ReadableTime.day(entry.day), "number": entry.number, "description": entry.description,
                    "charged": entry.amount > 0 ? money(entry.amount) : "", "paid": entry.amount < 0 ? money(-entry.amount) : "",
                    "balance": money(entry.balance), "href": Self.documentLink(entry, base: context.basePath),
                ]
            },
            "balance": account.balance >= 0 ? money(account.balance) : "\(money(-account.balance)) in credit", "due": money(account.due),
            "canTake": context.allows(.billingWrite) && account.due > 0,
            "paymentAction": "\(context.basePath)/billing/patients/\(id)/payments",
            "paymentFields": PaymentForm.fields(
                values: refused?.values ?? [:],
                errors: refused?.errors ?? [:],
                due: account.due - max(account.credit, 0),
                currency: currency
            ),
        ]
        if account.credit > 0 { data["credit"] = money(account.credit) }
        let payers = context.tenant.definition.payers
        if !payers.isEmpty {
            data["hasPayers"] = true
            data["memberships"] = memberships.map { member in
                [
                    "payer": context.tenant.definition.payer(member.payer)?.name ?? member.payer, "number": member.number,
                    "until": member.validUntil.map { "valid until " + ReadableTime.day($0) } ?? "no end date",
                ]
            }
            data["canAddMembership"] = context.allows(.billingWrite)
            let typed = refusedMembership?.values ?? [:]
            let errors = refusedMembership?.errors ?? [:]
            data["membershipFields"] = [
                FormField(
                    name: "payer",
                    label: "Payer",
                    kind: .select(options: payers.map { ($0.code, $0.name) }),
                    value: typed["payer"] ?? "",
                    required: true,
                    error: errors["payer"]
                ),
                FormField(
                    name: "member_number",
                    label: "Member number",
                    value: typed["member_number"] ?? "",
                    required: true,
                    autocomplete: "off",
                    error: errors["member_number"]
                ),
                FormField(
                    name: "valid_until",
                    label: "Valid until (empty: no end date)",
                    kind: .input(type: "date"),
                    value: typed["valid_until"] ?? "",
                    error: errors["valid_until"]
                ),
            ]
        }
        if let message = refused?.message { data["paymentMessage"] = message }
        let workBranches = context.workBranches
        (data["branches"], data["hasBranches"]) = (context.branchOptions(workBranches, selected: refused?.values["branch"]), workBranches.count > 1)
        data["membershipAction"] = "\(context.basePath)/billing/patients/\(id)/memberships"
        if let message = refusedMembership?.message { data["membershipMessage"] = message }
        data["membershipOpen"] = refusedMembership != nil
        return pages.page(context, "statement", title: "Statement", data: data, status: (refused ?? refusedMembership)?.status ?? .ok)
    }

    /// `POST /billing/patients/{id}/memberships`: records the patient's membership of a payer.
    package func addMembership(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let id = try context.recordID(entity: "patient")
        let terms = BillingTerms(context)
        let (payer, number) = (body["payer"] ?? "", body["member_number"]?.trimmingSpaces ?? "")
        let untilText = body["valid_until"]?.trimmingSpaces ?? ""
        let until = CalendarDate(untilText)
        var errors: [String: String] = [:]
        if number.isEmpty { errors["member_number"] = "write the member number from the patient's card" }
        if !untilText.isEmpty, until == nil { errors["valid_until"] = "write the date the card is valid until" }
        if errors.isEmpty {
            do {
                _ = try await context.storage.database().write { db in
                    try Membership.add(db, patient: id, payer: payer, number: number, validUntil: until, terms: terms)
                }
                return Pages.seeOther("\(context.basePath)/billing/patients/\(id)/statement")
            } catch let problem as Problem where problem.status == .unprocessableContent {
                errors = problem.fieldErrors
            }
        }
        let refusal = FormRefusal(form: "membership", values: body.values, errors: errors, message: nil, status: .unprocessableContent)
        return try await statementPage(context, patient: id, refusedMembership: refusal)
    }

    /// Where a statement's line leads: the invoice's or payment's page, or the printed credit note or refund.
    static func documentLink(_ entry: PatientStatement.Entry, base: String) -> String {
        switch entry.kind {
        case "invoice": "\(base)/billing/invoices/\(entry.id)"
        case "credit_note": "\(base)/billing/credit-notes/\(entry.id)/print"
        case "payment": "\(base)/billing/payments/\(entry.id)"
        case "refund": "\(base)/billing/refunds/\(entry.id)/print"
        default: ""
        }
    }

    /// `POST /billing/patients/{id}/payments`: settles the patient's open invoices, oldest first.
    package func takeForPatient(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let id = try context.recordID(entity: "patient")
        let back = "\(context.basePath)/billing/patients/\(id)/statement"
        // The branch whose till takes it: as chosen (a user of several branches), else the user's only one.
        let branch = body["branch"].flatMap { context.workBranches.contains($0) ? $0 : nil } ?? context.workBranches.first
        return try await take(context, body: body, patient: id, branch: branch, invoices: nil, back: back) { refusal in
            try await statementPage(context, patient: id, refused: refusal)
        }
    }

    /// `POST /billing/invoices/{id}/payments`: settles this invoice; what is more than it asks is credit on account.
    package func takeForInvoice(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let id = try context.recordID(entity: "invoice")
        let branches = context.user.branchFilter
        let (patient, branch) = try await context.storage.database().read { db -> (Int64, String) in
            try InvoiceRecords.changes.requireVisible(db, id: id, branches: branches)
            let invoice = try InvoiceRecords.changes.current(db, id: id)
            return (invoice["patient_id"], invoice["branch"])
        }
        let back = "\(context.basePath)/billing/invoices/\(id)"
        return try await take(context, body: body, patient: patient, branch: branch, invoices: [id], back: back) { refusal in
            try await InvoicesPages(pages: pages).showPage(context, id: id, refused: refusal)
        }
    }

    /// `POST /billing/invoices/{id}/use-credit`.
    package func useCredit(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        _ = try await context.submittedForm(request)
        let id = try context.recordID(entity: "invoice")
        let (terms, branches) = (BillingTerms(context), context.user.branchFilter)
        do {
            try await context.storage.database().write { db in
                try InvoiceRecords.changes.requireVisible(db, id: id, branches: branches)
                try Payments.applyCredit(db, invoice: id, amount: nil, terms: terms)
            }
            return Pages.seeOther("\(context.basePath)/billing/invoices/\(id)")
        } catch let problem as Problem where problem.status == .conflict {
            return try await InvoicesPages(pages: pages).showPage(
                context,
                id: id,
                refused: FormRefusal(form: "payment", message: problem.detail, status: .conflict)
            )
        }
    }

    private func take(
        _ context: PageRequestContext,
        body: FormBody,
        patient: Int64,
        branch: String?,
        invoices: [Int64]?,
        back: String,
        refuse: (FormRefusal) async throws -> Response
    ) async throws -> Response {
        let currency = context.tenant.definition.currency
        guard let (method, amount, reference) = PaymentForm.read(body, currency: currency), let branch else {
            return try await refuse(
                FormRefusal(
                    form: "payment",
                    values: body.values,
                    errors: PaymentForm.errors(body, currency: currency),
                    message: nil,
                    status: .unprocessableContent
                )
            )
        }
        // Money for an invoice is taken at its branch (the user sees it, so works there); from the statement, at the chosen one.
        let taking = Payments.Taking(patientID: patient, branch: branch, method: method, amount: amount, reference: reference, invoiceIDs: invoices)
        let (terms, visible) = (BillingTerms(context), context.user.branchFilter)
        do {
            _ = try await context.storage.database().write { db in try Payments.take(db, taking, branches: visible, terms: terms) }
            return Pages.seeOther(back)
        } catch let problem as Problem where [.conflict, .unprocessableContent].contains(problem.status) {
            let errors = problem.fieldErrors.filter { ["reference", "amount", "method"].contains($0.key) }
            let message = errors.isEmpty ? problem.detail : nil
            return try await refuse(FormRefusal(form: "payment", values: body.values, errors: errors, message: message, status: problem.status))
        }
    }
}
