import ClinicBoxCore
import GRDB
import Hummingbird

/// `/billing/cash-up`: the cashier's till — opened with a float, closed by counting each method against what was
/// expected (a difference with its reason) — and, for a manager, every session of the day.
package struct CashUpPages {
    package let pages: ModulePages

    package func today(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        try await page(context, session: nil, refused: nil)
    }

    package func show(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        try await page(context, session: try context.recordID(entity: "till session"), refused: nil)
    }

    /// The page of `session` (else the user's open one, else the opening form), with a refused form's values.
    func page(_ context: PageRequestContext, session requested: Int64?, refused: FormRefusal?) async throws -> Response {
        let terms = BillingTerms(context)
        let (sources, everyone, branches, userID) = (terms.takings, context.allows(.billingApprove), context.user.branchFilter, context.user.id)
        let today = terms.today.description
        let (session, day) = try await context.storage.database().read { db -> (TillSessionView?, [TillSessionView]) in
            let id =
                try requested
                ?? Int64.fetchOne(db, sql: "SELECT id FROM till_sessions WHERE cashier_id = ? AND status = 'open' ORDER BY id", arguments: [userID])
            let session = try id.map { try TillSessionView.read(db, id: $0, sources: sources) }
            let day =
                everyone
                ? try Int64.fetchAll(db, sql: "SELECT id FROM till_sessions WHERE opened_on = ? ORDER BY id", arguments: [today])
                    .map { try TillSessionView.read(db, id: $0, sources: sources) }.filter { branches?.contains($0.branch) ?? true } : []
            return (session, day)
        }
        if let session, !(branches?.contains(session.branch) ?? true) || (!everyone && session.cashierID != userID) {
            throw RecordChanges.notFound("till session")
        }
        let money = { (amount: Int64) in terms.money(amount) }
        var data: [String: Any] = ["everyone": everyone, "hasDay": !day.isEmpty]
        data["day"] = day.map { view -> [String: String] in
            let difference = view.methods.compactMap(\.difference).reduce(0, +)
            return [
                "href": "\(context.basePath)/billing/cash-up/\(view.id)", "cashier": view.cashierName,
                "branch": context.tenant.branchName(view.branch),
                "status": view.isOpen ? "Open" : "Closed", "difference": view.isOpen ? "" : money(difference),
            ]
        }
        if let session {
            data["session"] =
                [
                    "cashier": session.cashierName, "branch": context.tenant.branchName(session.branch),
                    "opened": context.tenant.readableTime.moment(session.openedAt), "float": money(session.openingFloat),
                    "isOpen": session.isOpen, "closed": session.closedAt.map { context.tenant.readableTime.moment($0) } ?? "",
                    "reason": session.reason ?? "", "closeAction": "\(context.basePath)/billing/cash-up/\(session.id)/close",
                    "methods": session.methods.map { method -> [String: Any] in
                        [
                            "name": PaymentForm.methodNames[method.method] ?? method.method, "expected": money(method.expected),
                            "counted": method.counted.map(money) ?? "", "difference": method.difference.map { $0 == 0 ? "—" : money($0) } ?? "",
                            "field": FormField(
                                name: "counted_\(method.method)",
                                label: "Counted: \(PaymentForm.methodNames[method.method] ?? method.method)",
                                value: refused?.values["counted_\(method.method)"] ?? "",
                                autocomplete: "off",
                                error: refused?.errors["counted_\(method.method)"]
                            ),
                        ]
                    },
                    "reasonField": FormField(
                        name: "reason",
                        label: "Why it differs (needed when anything counted is not what was expected)",
                        kind: .textArea,
                        value: refused?.values["reason"] ?? "",
                        error: refused?.errors["reason"]
                    ),
                ] as [String: Any]
            data["mayClose"] = session.isOpen && (session.cashierID == userID || everyone)
        } else {
            let branches = context.workBranches
            data["branches"] = context.branchOptions(branches, selected: refused?.values["branch"] ?? branches.first)
            data["hasBranches"] = branches.count > 1
            data["floatField"] = FormField(
                name: "opening_float",
                label: "Cash in the drawer now (the float)",
                value: refused?.values["opening_float"] ?? "",
                autocomplete: "off",
                error: refused?.errors["opening_float"]
            )
        }
        if let message = refused?.message { data["message"] = message }
        return pages.page(context, "cash-up", title: "Cash-up", data: data, status: refused?.status ?? .ok)
    }

    package func open(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let currency = context.tenant.definition.currency
        let typed = body["opening_float"]?.trimmingSpaces ?? ""
        let float = typed.isEmpty ? 0 : Money.parse(typed, currency: currency)
        let branch = body["branch"] ?? context.workBranches.first ?? ""
        guard let float, context.mayWork(in: branch) else {
            let errors = float == nil ? ["opening_float": "write an amount like \(Money.example(currency))"] : [:]
            let refusal = FormRefusal(
                form: "open",
                values: body.values,
                errors: errors,
                message: float == nil ? nil : "Choose one of your branches.",
                status: .unprocessableContent
            )
            return try await page(context, session: nil, refused: refusal)
        }
        let terms = BillingTerms(context)
        let database = try await context.storage.database()
        let name = try await database.read { db in try context.user.nameAsRecorded(db) }
        do {
            let id = try await database.write { db in try TillSessions.open(db, branch: branch, float: float, terms: terms, name: name) }
            return Pages.seeOther("\(context.basePath)/billing/cash-up/\(id)")
        } catch let problem as Problem where problem.status == .conflict {
            return try await page(
                context,
                session: nil,
                refused: FormRefusal(form: "open", values: body.values, message: problem.detail, status: .conflict)
            )
        }
    }

    package func close(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let id = try context.recordID(entity: "till session")
        let currency = context.tenant.definition.currency
        var counted: [String: Int64] = [:]
        var errors: [String: String] = [:]
        for method in TillSessions.methods {
            let typed = body["counted_\(method)"]?.trimmingSpaces ?? ""
            if typed.isEmpty { continue }
            if let amount = Money.parse(typed, currency: currency) {
                counted[method] = amount
            } else {
                errors["counted_\(method)"] = "write an amount like \(Money.example(currency)), or leave it empty for none"
            }
        }
        let reason = body["reason"]?.trimmingSpaces ?? ""
        guard errors.isEmpty else {
            return try await page(
                context,
                session: id,
                refused: FormRefusal(form: "close", values: body.values, errors: errors, message: nil, status: .unprocessableContent)
            )
        }
        let (terms, everyone, branches) = (BillingTerms(context), context.allows(.billingApprove), context.user.branchFilter)
        do {
            try await context.storage.database().write { [counted] db in
                guard let branch = try String.fetchOne(db, sql: "SELECT branch FROM till_sessions WHERE id = ?", arguments: [id]),
                    branches?.contains(branch) ?? true
                else { throw RecordChanges.notFound("till session") }
                try TillSessions.close(
                    db,
                    id: id,
                    counted: counted,
                    reason: reason.isEmpty ? nil : String(reason.prefix(500)),
                    sources: terms.takings,
                    terms: terms,
                    mayCloseOthers: everyone
                )
            }
            return Pages.seeOther("\(context.basePath)/billing/cash-up/\(id)")
        } catch let problem as Problem where [.unprocessableContent, .conflict].contains(problem.status) {
            let refusal = FormRefusal(
                form: "close",
                values: body.values,
                errors: problem.fieldErrors,
                message: problem.fieldErrors.isEmpty ? problem.detail : nil,
                status: problem.status
            )
            return try await page(context, session: id, refused: refusal)
        }
    }
}
