import ClinicBoxCore
import GRDB
import Hummingbird
import Patients

/// `/billing`: the invoices of the user's branches, a draft built line by line (from the price list or as a free
/// line with a reason), issued after a confirmation, and credited line by line by a manager. No JavaScript: each
/// form changes the draft and comes back to its page.
package struct InvoicesPages {
    package let pages: ModulePages

    package struct Row: TemplateValues, Sendable {
        package var href: String
        package var number: String
        package var patient: String
        package var day: String
        package var total: String
        package var balance: String
        package var status: String

        package static let templateNames: TemplateNames<Row> = [
            "href": { $0.href }, "number": { $0.number }, "patient": { $0.patient }, "day": { $0.day }, "total": { $0.total },
            "balance": { $0.balance }, "status": { $0.status },
        ]
    }

    /// What a status says to the desk.
    static let statusText = ["draft": "Draft", "issued": "Issued", "part_paid": "Part paid", "paid": "Paid", "credited": "Credited"]

    package func list(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let status = query.get("status").flatMap { InvoicesAPI.statuses.contains($0) ? $0 : nil }
        let page = try ListPage(request, sorting: InvoicesAPI.sorting)
        var conditions = SQLConditions()
        if let branches = context.user.branchFilter { conditions.add(column: "invoices.branch", in: branches) }
        if let status { conditions.add("invoices.status = ?", [status]) }
        let (base, currency) = (context.basePath, context.tenant.definition.currency)
        let (rows, next) = try await page.rows(
            context.storage.database(),
            columns: """
                invoices.number, invoices.status, invoices.issued_on, invoices.created_at, invoices.total,
                invoices.total - invoices.credited - invoices.paid AS balance,
                (SELECT first_name || ' ' || last_name FROM patients WHERE patients.id = invoices.patient_id) AS patient
                """,
            from: "invoices",
            conditions: conditions
        ) { row in
            Row(
                href: "\(base)/billing/invoices/\(row["id"] as Int64)",
                number: row["number"] as String? ?? "Draft",
                patient: row["patient"],
                day: (row["issued_on"] as String?).map { ReadableTime.day($0) } ?? "",
                total: Money.format(row["total"], currency: currency),
                balance: Money.format(row["balance"], currency: currency),
                status: Self.statusText[row["status"] as String] ?? ""
            )
        }
        var data: [String: Any] = [
            "rows": rows, "hasRows": !rows.isEmpty, "canWrite": context.allows(.billingWrite), "canCashUp": context.allows(.billingCashUp),
            "hasPayers": !context.tenant.definition.payers.isEmpty,
            "statuses": [["value": "", "label": "Any", "selected": status == nil]]
                + InvoicesAPI.statuses.map { ["value": $0, "label": Self.statusText[$0]!, "selected": $0 == status] },
        ]
        data["more"] = ListPage.nextPageLink("\(base)/billing", cursor: next, keeping: [("status", status ?? "")])
        return pages.page(context, "invoices", title: "Invoices", data: data)
    }

    package func newForm(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let typed = request.uri.queryParameters.get("patient") ?? ""
        let picker = try await context.storage.database().read { db in try PatientPicker.opened(for: typed, db) }
        // From a visit's page: its branch, if the user works there.
        let branch = request.uri.queryParameters.get("branch").flatMap { context.workBranches.contains($0) ? $0 : nil }
        return newPage(context, picker: picker, branch: branch, errors: [:])
    }

    private func newPage(
        _ context: PageRequestContext,
        picker: PatientPicker,
        branch: String?,
        errors: [String: String],
        status: HTTPResponse.Status = .ok
    )
        -> Response
    {
        let branches = context.workBranches
        var data: [String: Any] = [
            "picker": picker.field, "branches": context.branchOptions(branches, selected: branch ?? branches.first),
            "hasBranches": branches.count > 1, "hasErrors": !errors.isEmpty,
        ]
        if let message = picker.message { data["message"] = message }
        if let error = errors["branch"] { data["branchError"] = error }
        return pages.page(context, "invoice-new", title: "New invoice", data: data, status: status)
    }

    package func create(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let numbering = context.tenant.phoneNumbering
        let database = try await context.storage.database()
        let picker = try await database.read { db in try PatientPicker(form: body, numbering: numbering, db) }
        let branch = body["branch"] ?? context.workBranches.first ?? ""
        var errors: [String: String] = [:]
        if !context.mayWork(in: branch) { errors["branch"] = "choose one of your branches" }
        if let problem = picker.problem { errors["patient"] = problem }
        guard errors.isEmpty, let patient = picker.patient else {
            return newPage(context, picker: picker, branch: branch, errors: errors, status: errors.isEmpty ? .ok : .unprocessableContent)
        }
        var draft = InvoiceDraft()
        (draft.patientID, draft.lines) = (patient.id, [])
        let terms = BillingTerms(context)
        let id = try await database.write { [draft] db in try InvoiceRecords.create(db, draft, branch: branch, terms: terms) }
        return Pages.seeOther("\(context.basePath)/billing/invoices/\(id)")
    }

    package func show(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        try await showPage(context, id: try context.recordID(entity: "invoice"))
    }

    /// The invoice's page; after a refused form, with that form's values, messages and status.
    func showPage(_ context: PageRequestContext, id: Int64, refused: FormRefusal? = nil) async throws -> Response {
        let branches = context.user.branchFilter
        let view = try await context.storage.database().read { db in
            try InvoiceRecords.changes.requireVisible(db, id: id, branches: branches)
            return try InvoiceView(db, id: id, context: context)
        }
        return pages.page(context, "invoice", title: view.title, data: view.data(refused: refused), status: refused?.status ?? .ok)
    }

    /// Adds the line one of the draft's forms asks for, pricing the draft again.
    package func addLine(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let id = try context.recordID(entity: "invoice")
        let form = ["free", "work"].contains(body["kind"] ?? "") ? body["kind"]! : "service"
        let (line, errors) = InvoiceLineForm.read(body, currency: context.tenant.definition.currency)
        guard let line else {
            return try await showPage(
                context,
                id: id,
                refused: FormRefusal(form: form, values: body.values, errors: errors, message: nil, status: .unprocessableContent)
            )
        }
        return try await change(context, id: id, body: body, form: form) { lines in
            lines.append(line)
            return lines.count - 1
        }
    }

    /// Removes line `position` (1 for the first) from the draft.
    package func removeLine(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let id = try context.recordID(entity: "invoice")
        let position = Int(try context.recordID("position", entity: "line"))
        return try await change(context, id: id, body: body, form: "lines") { lines in
            if lines.indices.contains(position - 1) { lines.remove(at: position - 1) }
            return nil
        }
    }

    /// The draft's discount on the whole, as an amount or a percentage, with its reason.
    package func setDiscount(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let id = try context.recordID(entity: "invoice")
        let currency = context.tenant.definition.currency
        let typed = body["whole_discount"]?.trimmingSpaces ?? ""
        var draft = InvoiceDraft()
        draft.named = ["discount", "discount_reason"]
        if typed.isEmpty {
            draft.discount = .amount(0)
        } else if typed.hasSuffix("%"), let percent = TenantFileParser.basisPoints(String(typed.dropLast()).trimmingSpaces) {
            draft.discount = .percent(percent)
        } else if let amount = Money.parse(typed, currency: currency) {
            draft.discount = .amount(amount)
        } else {
            let errors = ["whole_discount": "write an amount like \(Money.example(currency)) or a percentage like 10%"]
            let refusal = FormRefusal(form: "discount", values: body.values, errors: errors, message: nil, status: .unprocessableContent)
            return try await showPage(context, id: id, refused: refusal)
        }
        draft.discountReason = body["whole_discount_reason"]?.trimmingSpaces.nilIfEmpty
        return try await save(context, id: id, body: body, form: "discount", draft: draft, line: nil)
    }

    /// Who else pays: one of the patient's memberships (its payer's usual share of each line), or nobody; with the
    /// pre-authorisation reference for every line the payer pays.
    package func setPayer(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let id = try context.recordID(entity: "invoice")
        let payers = context.tenant.definition.payers
        let reference = body["preauthorisation"]?.trimmingSpaces.nilIfEmpty
        var lines = try await context.storage.database().read { db in try InvoiceRecords.draftLines(db, invoice: id, payers: payers) }
        if let reference { for index in lines.indices { lines[index].preauthorisation = reference } }
        var draft = InvoiceDraft()
        (draft.named, draft.payer, draft.lines) = (["payer"], body["payer"]?.nilIfEmpty, lines)
        return try await save(context, id: id, body: body, form: "payer", draft: draft, line: nil)
    }

    private func change(
        _ context: PageRequestContext,
        id: Int64,
        body: FormBody,
        form: String,
        _ edit: @escaping @Sendable (inout [InvoiceDraft.Line]) -> Int?
    ) async throws -> Response {
        let database = try await context.storage.database()
        var lines = try await database.read { db in try InvoiceRecords.draftLines(db, invoice: id, payers: context.tenant.definition.payers) }
        let index = edit(&lines)
        var draft = InvoiceDraft()
        draft.lines = lines
        return try await save(context, id: id, body: body, form: form, draft: draft, line: index)
    }

    private func save(
        _ context: PageRequestContext,
        id: Int64,
        body: FormBody,
        form: String,
        draft: InvoiceDraft,
        line: Int?
    ) async throws -> Response {
        let version = Int64(body["version"] ?? "") ?? 0
        let (terms, branches) = (BillingTerms(context), context.user.branchFilter)
        do {
            try await context.storage.database().write { db in
                try InvoiceRecords.changes.requireVisible(db, id: id, branches: branches)
                try InvoiceRecords.update(db, id: id, version: version, draft, terms: terms)
            }
            return Pages.seeOther("\(context.basePath)/billing/invoices/\(id)")
        } catch let problem as Problem where problem.status == .conflict {
            // Issued meanwhile, or changed by someone else: said above the invoice, as it now is.
            return try await showPage(context, id: id, refused: FormRefusal(form: "lines", message: problem.detail, status: .conflict))
        } catch let problem as Problem where [.unprocessableContent, .forbidden].contains(problem.status) {
            var errors: [String: String] = [:]
            var other: [String] = []
            if let line, form != "work" {
                (errors, other) = InvoiceLineForm.pageErrors(problem.fieldErrors, line: line, free: form == "free")
            } else if form == "discount" {
                errors = problem.fieldErrors.reduce(into: [:]) { $0["whole_" + $1.key] = $1.value }
            } else {
                other = problem.fieldErrors.values.sorted()
            }
            let message = ([problem.status == .forbidden ? problem.detail : nil] + other.map { Optional($0) }).compactMap { $0 }
            let refusal = FormRefusal(
                form: form,
                values: body.values,
                errors: errors,
                message: message.isEmpty ? (problem.fieldErrors.isEmpty ? problem.detail : nil) : message.joined(separator: " "),
                status: problem.status
            )
            return try await showPage(context, id: id, refused: refusal)
        }
    }

    package func confirmIssue(_: Request, _ context: PageRequestContext) async throws -> Response {
        let id = try context.recordID(entity: "invoice")
        let branches = context.user.branchFilter
        let currency = context.tenant.definition.currency
        let (total, version) = try await context.storage.database().read { db -> (Int64, Int64) in
            try InvoiceRecords.changes.requireVisible(db, id: id, branches: branches)
            let row = try InvoiceRecords.changes.current(db, id: id)
            return (row["total"], row["version"])
        }
        let data: [String: Any] = [
            "question": "Issue this invoice for \(Money.format(total, currency: currency))?",
            "consequence": "It takes the next invoice number and never changes again; a mistake is put right by a manager with a credit note.",
            "action": "\(context.basePath)/billing/invoices/\(id)/issue", "button": "Issue invoice",
            "cancel": "\(context.basePath)/billing/invoices/\(id)", "hidden": [["name": "version", "value": String(version)]],
        ]
        return pages.page(context, core: "admin/confirm", title: "Issue invoice", data: data)
    }

    package func issue(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let id = try context.recordID(entity: "invoice")
        let version = Int64(body["version"] ?? "") ?? 0
        let (terms, branches) = (BillingTerms(context), context.user.branchFilter)
        do {
            _ = try await context.storage.database().write { db in
                try InvoiceRecords.changes.requireVisible(db, id: id, branches: branches)
                return try InvoiceRecords.issue(db, id: id, version: version, terms: terms)
            }
            return Pages.seeOther("\(context.basePath)/billing/invoices/\(id)")
        } catch let problem as Problem where problem.status == .conflict {
            return try await showPage(context, id: id, refused: FormRefusal(form: "issue", message: problem.detail, status: .conflict))
        }
    }

    /// A manager credits the ticked lines (or, with none ticked, every line still open) with a reason.
    package func credit(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let id = try context.recordID(entity: "invoice")
        let reason = body["credit_reason"]?.trimmingSpaces ?? ""
        let ticked = body.values.keys.filter { $0.hasPrefix("credit_line_") }.compactMap { Int64($0.dropFirst("credit_line_".count)) }.sorted()
        guard !reason.isEmpty else {
            let errors = ["credit_reason": "say why the invoice is credited (it is printed on the credit note)"]
            let refusal = FormRefusal(form: "credit", values: body.values, errors: errors, message: nil, status: .unprocessableContent)
            return try await showPage(context, id: id, refused: refusal)
        }
        let (terms, branches) = (BillingTerms(context), context.user.branchFilter)
        do {
            _ = try await context.storage.database().write { db in
                try InvoiceRecords.changes.requireVisible(db, id: id, branches: branches)
                return try CreditNotes.issue(
                    db,
                    invoice: id,
                    lineIDs: ticked.isEmpty ? nil : ticked,
                    reason: String(reason.prefix(500)),
                    terms: terms
                )
            }
            return Pages.seeOther("\(context.basePath)/billing/invoices/\(id)")
        } catch let problem as Problem where problem.status == .conflict {
            let refusal = FormRefusal(form: "credit", values: body.values, message: problem.detail, status: .conflict)
            return try await showPage(context, id: id, refused: refusal)
        }
    }
}

extension String {
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}
