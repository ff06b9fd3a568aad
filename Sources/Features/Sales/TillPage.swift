import ClinicBoxCore
import Clinical
import Foundation
import GRDB
import Hummingbird
import Inventory
import Mustache
import Patients
import Prescriptions

/// `/sales`: the till. Made for a keyboard and a barcode scanner and no JavaScript: the SKU box has the focus, and a
/// scanner types the SKU and Enter, which adds one to the basket (Enter submits the form's first button, "Add").
/// Typed text that is no SKU is looked up by name and generic name, and the matches are offered as buttons.
/// The basket travels in the form itself (`line_N` = SKU, `qty_N`), so nothing is stored until the sale is
/// completed, which rings it up exactly as the API does (`SaleRecords`).
package struct TillPage {
    package let pages: ModulePages

    /// One basket line as the till shows it, priced from the batch that would be sold first.
    package struct Line: TemplateValues, Sendable {
        package var index: Int
        package var sku: String
        package var name: String
        /// `400 mg · tablet`
        package var detail: String?
        package var quantity: Int64
        package var unitPrice: Int64
        package var available: Int64
        package var currency: String
        package var requiresPrescription: Bool
        package var controlled: Bool
        /// Its product's tax rate, hundredths of a percent (the default class's when it names none).
        package var taxRate: Int

        package static let templateNames: TemplateNames<Line> = [
            "index": { String($0.index) },
            "sku": { $0.sku },
            "name": { $0.name },
            "detail": { $0.detail },
            "quantity": { String($0.quantity) },
            "unitPrice": { Money.format($0.unitPrice, currency: $0.currency) },
            "lineTotal": { Money.format($0.unitPrice * $0.quantity, currency: $0.currency) },
            "short": { $0.quantity > $0.available ? "only \($0.available) in stock here" : nil },
            "rule": { $0.controlled ? "controlled drug" : $0.requiresPrescription ? "prescription only" : nil },
        ]
    }

    package func show(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let branch = request.uri.queryParameters.get("branch")
        return try await till(context, branch: branch, basket: [], values: [:], errors: [:], notice: nil)
    }

    package func act(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        var basket = Self.basket(body)
        let branch = body["branch"]
        var errors: [String: String] = [:]
        var action = body["do"] ?? "add"
        // Enter in a payment box sends the form's first button (Add) with nothing scanned: the cashier means "done"
        // once the payments cover the total; until then the till shows what is still to pay.
        var scanned = body["scan"]?.trimmingSpaces ?? ""
        if action == "add", scanned.isEmpty, !basket.isEmpty, SaleForm.methods.contains(where: { body[$0]?.trimmingSpaces.isEmpty == false }) {
            let due = try await amountDue(context, branch: branch, basket: basket, values: body.values)
            if due.map({ $0 <= 0 }) ?? true { action = "complete" }
        }
        var matches: [[String: String]] = []
        if let picked = body["pick"], !picked.isEmpty { (action, scanned) = ("add", picked) }
        if action == "add", !scanned.isEmpty {
            let quantity = Int64(body["quantity"] ?? "") ?? 1
            let (known, found) = try await context.storage.database().read { [scanned] db in
                (
                    try String.fetchOne(db, sql: "SELECT sku FROM products WHERE sku = ? AND active = 1", arguments: [scanned]),
                    try Self.products(named: scanned, db)
                )
            }
            if let known, (1...100_000).contains(quantity) {
                if let at = basket.firstIndex(where: { $0.sku == known }) {
                    basket[at].quantity += quantity
                } else {
                    basket.append((known, quantity))
                }
            } else if known == nil, !found.isEmpty {
                matches = found
            } else {
                errors["scan"] = known == nil ? "no product on sale has the SKU or name \(scanned)" : "the quantity must be 1 to 100000"
            }
        } else if action.hasPrefix("remove_"), let index = Int(action.dropFirst(7)), basket.indices.contains(index) {
            basket.remove(at: index)
        } else if action == "complete" {
            return try await complete(context, body: body, basket: basket)
        }
        var values = body.values
        values["scan"] = errors["scan"] == nil && matches.isEmpty ? "" : body["scan"]
        values["pick"] = nil
        if matches.isEmpty { values["quantity"] = nil }
        return try await till(context, branch: branch, basket: basket, values: values, errors: errors, notice: nil, matches: matches)
    }

    private func complete(_ context: PageRequestContext, body: FormBody, basket: [(sku: String, quantity: Int64)]) async throws -> Response {
        let currency = context.tenant.definition.currency
        var errors: [String: String] = [:]
        var payments: [SaleForm.Payment] = []
        for method in SaleForm.methods {
            guard let text = body[method]?.trimmingSpaces, !text.isEmpty else { continue }
            if let amount = Money.parse(text, currency: currency), amount > 0 {
                payments.append(.init(method: method, amount: amount))
            } else {
                errors[method] = "write an amount like 12.50"
            }
        }
        let discountText = body["discount"]?.trimmingSpaces ?? ""
        let discount = discountText.isEmpty ? 0 : Money.parse(discountText, currency: currency)
        if discount == nil { errors["discount"] = "write an amount like 1.00" }
        if basket.isEmpty { errors["scan"] = "scan or type at least one product" }
        if payments.isEmpty, errors.isEmpty { errors["cash"] = "enter what the customer pays" }
        let branch = body["branch"] ?? ""
        if !context.mayWork(in: branch) { errors["branch"] = "choose one of your branches" }
        guard errors.isEmpty else {
            return try await till(
                context,
                branch: branch,
                basket: basket,
                values: body.values,
                errors: errors,
                notice: nil,
                status: .unprocessableContent
            )
        }
        let reference = body["prescription_reference"]?.trimmingSpaces ?? ""
        let checksPrescriptions = context.tenant.features.contains("prescriptions")
        // A number of this tenant's own prescriptions links the sale to it (it dispenses the prescription, for its
        // patient); anything else is the reference of a paper prescription.
        let written =
            checksPrescriptions && !reference.isEmpty
            ? try await context.storage.database().read { db in
                try Int64.fetchOne(db, sql: "SELECT id FROM prescriptions WHERE number = ? COLLATE NOCASE", arguments: [reference])
            }
            : nil
        let form = SaleForm(
            branch: branch,
            items: basket.map { .init(productID: nil, sku: $0.sku, quantity: $0.quantity) },
            discount: discount ?? 0,
            payments: payments,
            patientID: nil,
            prescriptionID: written,
            prescriptionReference: written != nil || reference.isEmpty ? nil : reference,
            allergyOverride: AllergyCheck.reason(in: body),
            earlyRepeatReason: body[RepeatInterval.reasonField]?.trimmingSpaces.prefix(500).description.nilIfEmpty
        )
        let terms = SaleTerms(context)
        do {
            let id = try await context.storage.database().write { db in
                try SaleRecords.create(db, form, terms: terms)
            }
            return Pages.seeOther("\(context.basePath)/sales/\(id)?new=1")
        } catch let problem as Problem
            where AllergyCheck.isAllergyProblem(problem) || problem.title == RepeatInterval.earlyTitle
            || [.unprocessableContent, .conflict, .forbidden].contains(problem.status)
        {
            // An allergy or an early repeat is the warning at the top of the till, with the reason box beside it for
            // those who may decide; anything else is the notice.
            let decision = AllergyCheck.isAllergyProblem(problem) || problem.title == RepeatInterval.earlyTitle
            let warning = FormWarning.data(
                problem,
                reasons: [
                    AllergyCheck.overrideField: "Reason to go ahead despite the allergy",
                    RepeatInterval.reasonField: "Reason to sell the repeat early",
                ],
                values: body.values
            )
            return try await till(
                context,
                branch: branch,
                basket: basket,
                values: body.values,
                errors: [:],
                notice: decision ? nil : problem.pageText,
                status: problem.status,
                allergyWarning: decision ? warning : nil
            )
        }
    }

    /// The basket carried by the form: `line_0`, `qty_0`, `line_1`, … in order.
    private static func basket(_ body: FormBody) -> [(sku: String, quantity: Int64)] {
        var basket: [(sku: String, quantity: Int64)] = []
        var index = 0
        while let sku = body["line_\(index)"] {
            if let quantity = Int64(body["qty_\(index)"] ?? ""), quantity > 0 { basket.append((sku, quantity)) }
            index += 1
        }
        return basket
    }

    private func till(
        _ context: PageRequestContext,
        branch requested: String?,
        basket: [(sku: String, quantity: Int64)],
        values: [String: String],
        errors: [String: String],
        notice: String?,
        status: HTTPResponse.Status = .ok,
        matches: [[String: String]] = [],
        allergyWarning: [String: Any]? = nil
    ) async throws -> Response {
        let definition = context.tenant.definition
        let branches = context.workBranches
        let branch = requested.flatMap { branches.contains($0) ? $0 : nil } ?? branches.first ?? ""
        let currency = definition.currency
        let lines = try await Self.lines(context, branch: branch, basket: basket)
        let totals = Charges(sale: lines.map { ($0.unitPrice * $0.quantity, $0.taxRate) }, discount: 0, tax: definition.tax)
        func field(_ name: String, _ label: String) -> FormField {
            FormField(name: name, label: label, kind: .input(type: "text"), value: values[name] ?? "", autocomplete: "off", error: errors[name])
        }
        var data: [String: Any] = [
            "branch": branch, "branches": context.branchOptions(branches, selected: branch), "hasBranches": branches.count > 1,
            "lines": lines, "hasLines": !lines.isEmpty, "subtotal": Money.format(totals.subtotal, currency: currency),
            "total": Money.format(totals.total, currency: currency), "tax": Money.format(totals.tax, currency: currency),
            "taxIncluded": definition.tax.pricesIncludeTax, "scanValue": values["scan"] ?? "",
            "payments": [
                field("cash", "Cash received"), field("card", "Card"), field("mobile_money", "Mobile money"), field("discount", "Discount"),
            ],
            "reference": field(
                "prescription_reference",
                context.tenant.features.contains("prescriptions")
                    ? "Prescription number (RX-…) or a paper prescription's reference" : "Prescription reference (for prescription-only items)"
            ),
        ]
        if let (due, cash) = Self.due(lines: lines, values: values, tax: definition.tax, currency: currency) {
            if due > 0 {
                data["stillToPay"] = Money.format(due, currency: currency)
            } else if due < 0, cash >= -due {
                data["change"] = Money.format(-due, currency: currency)
            } else if due < 0 {
                // Only cash gives change: card or mobile money above the total is a typing mistake to correct.
                data["overpaid"] =
                    "Card and mobile money come to \(Money.format(-due - cash, currency: currency)) more than is left to pay after cash; correct them, only cash gives change."
            }
        }
        if lines.contains(where: { $0.requiresPrescription || $0.controlled }) {
            data["prescriptionRules"] =
                context.tenant.features.contains("prescriptions")
                ? "Prescription-only items need a prescription. With the patient's prescription number (RX-…) the sale dispenses that prescription: it may hold only its items, up to what is left to dispense. A paper prescription's reference is recorded with the sale; for a controlled drug only a manager or a clinician may use one."
                : "Prescription-only items need the paper prescription's reference, which is recorded with the sale; for a controlled drug only a manager or a clinician may complete the sale."
        }
        if !matches.isEmpty { (data["matches"], data["hasMatches"], data["quantityValue"]) = (matches, true, values["quantity"] ?? "1") }
        if let error = errors["scan"] { data["scanError"] = error }
        if let error = errors["branch"] { data["branchError"] = error }
        data["allergyWarning"] = allergyWarning
        data["allergyBanner"] = try await Self.banner(context, reference: values["prescription_reference"])?.data
        if let notice { data["message"] = notice }
        return pages.page(context, "till", title: "Till", data: data, status: status)
    }

    /// The allergy banner of the patient whose prescription number was typed, for a sale against it.
    private static func banner(_ context: PageRequestContext, reference: String?) async throws -> AllergyBanner? {
        guard context.tenant.features.contains("prescriptions"), let reference = reference?.trimmingSpaces, !reference.isEmpty else { return nil }
        let time = context.tenant.readableTime
        return try await context.storage.database().read { db in
            try Int64.fetchOne(db, sql: "SELECT patient_id FROM prescriptions WHERE number = ? COLLATE NOCASE", arguments: [reference])
                .map { try AllergyBanner.read(db, patient: $0, time: time) }
        }
    }

    /// What the typed payments leave to pay (negative: paid over the total) and the cash among them, or nil when none
    /// is typed or one cannot be read.
    private static func due(lines: [Line], values: [String: String], tax: TenantDefinition.Tax, currency: String) -> (due: Int64, cash: Int64)? {
        var (paid, cash): (Int64, Int64) = (0, 0)
        var typed = false
        for method in SaleForm.methods {
            guard let text = values[method]?.trimmingSpaces, !text.isEmpty else { continue }
            guard let amount = Money.parse(text, currency: currency) else { return nil }
            (paid, typed) = (paid + amount, true)
            if method == "cash" { cash += amount }
        }
        guard typed else { return nil }
        let discountText = values["discount"]?.trimmingSpaces ?? ""
        guard let discount = discountText.isEmpty ? 0 : Money.parse(discountText, currency: currency) else { return nil }
        return (Charges(sale: lines.map { ($0.unitPrice * $0.quantity, $0.taxRate) }, discount: discount, tax: tax).total - paid, cash)
    }

    private func amountDue(
        _ context: PageRequestContext,
        branch: String?,
        basket: [(sku: String, quantity: Int64)],
        values: [String: String]
    ) async throws -> Int64? {
        let branches = context.workBranches
        let lines = try await Self.lines(context, branch: branch.flatMap { branches.contains($0) ? $0 : nil } ?? branches.first ?? "", basket: basket)
        return Self.due(lines: lines, values: values, tax: context.tenant.definition.tax, currency: context.tenant.definition.currency)?.due
    }

    /// Products on sale whose name or generic name has a word starting with `text` (at most 8), for the cashier
    /// to choose from: SKU, and how the basket names it.
    private static func products(named text: String, _ db: Database) throws -> [[String: String]] {
        try ProductSearch.byName(text, db).map { ["sku": $0.sku, "label": $0.label] }
    }

    /// The basket's lines with today's price and stock at `branch`.
    private static func lines(_ context: PageRequestContext, branch: String, basket: [(sku: String, quantity: Int64)]) async throws -> [Line] {
        let today = CalendarDate.today(in: context.tenant.timeZone).description
        let (currency, tax) = (context.tenant.definition.currency, context.tenant.definition.tax)
        return try await context.storage.database().read { db in
            try basket.enumerated().map { index, item -> Line in
                let product = try Row.fetchOne(
                    db,
                    sql: "SELECT id, name, strength, form, requires_prescription, controlled, tax_class FROM products WHERE sku = ?",
                    arguments: [item.sku]
                )
                let productID: Int64 = product?["id"] ?? 0
                let stock = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT (SELECT selling_price FROM stock_batches WHERE product_id = ?1 AND branch = ?2 AND expiry >= ?3 AND quantity > 0 ORDER BY expiry LIMIT 1) AS price,
                            (SELECT coalesce(sum(quantity), 0) FROM stock_batches WHERE product_id = ?1 AND branch = ?2 AND expiry >= ?3) AS available
                        """,
                    arguments: [productID, branch, today]
                )
                return Line(
                    index: index,
                    sku: item.sku,
                    name: product?["name"] ?? item.sku,
                    detail: product.map { [$0["strength"] as String?, $0["form"] as String?].compactMap { $0 }.joined(separator: " · ") }.flatMap {
                        $0.isEmpty ? nil : $0
                    },
                    quantity: item.quantity,
                    unitPrice: stock?["price"] ?? 0,
                    available: stock?["available"] ?? 0,
                    currency: currency,
                    requiresPrescription: product?["requires_prescription"] ?? false,
                    controlled: product?["controlled"] ?? false,
                    taxRate: tax.rate(ofClass: product?["tax_class"]) ?? tax.rateBasisPoints
                )
            }
        }
    }
}
