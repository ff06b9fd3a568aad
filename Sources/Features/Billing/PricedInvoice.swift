import ClinicBoxCore
import GRDB

/// A draft priced: each line from the price list (its code, name, price and tax class as they are now) or as a
/// free line, each discount checked against the line and against the tenant's limit, and the totals from the one
/// calculation the till uses. Nothing here writes; `InvoiceRecords` stores what this decides.
package struct PricedInvoice: Sendable {
    package struct Line: Sendable, Equatable {
        package var source: String?
        package var serviceID: Int64?
        package var itemCode: String?
        package var description: String
        package var reason: String?
        package var quantity: Int64
        package var unitPrice: Int64
        package var discount: Int64
        package var discountReason: String?
        package var discountApprovedBy: Int64?
        package var taxClass: String
        package var taxRate: Int

        /// What an approval is given for: the same line with the same discount keeps it when a draft is saved again.
        var approvalKey: String { "\(source ?? serviceID.map(String.init) ?? description)|\(quantity)|\(unitPrice)|\(discount)" }
    }

    /// Approvals already given on the draft: line keys, and the discount on the whole when it was approved.
    package struct Approvals: Sendable {
        package var lines: [String: Int64] = [:]
        package var whole: (discount: Int64, by: Int64)? = nil

        package static let none = Approvals()
    }

    package let lines: [Line]
    package let discount: Int64
    package let discountReason: String?
    package let discountApprovedBy: Int64?
    package let charges: Charges

    package init(
        _ db: Database,
        patient: Int64,
        lines asked: [InvoiceDraft.Line],
        discount askedDiscount: InvoiceDraft.Discount?,
        discountReason: String?,
        terms: BillingTerms,
        approvals: Approvals
    ) throws {
        var errors: [String: String] = [:]
        var needsManager: [String: String] = [:]
        var lines: [Line] = []
        for (index, ask) in asked.enumerated() {
            let field = "lines[\(index)]."
            let priced =
                try ask.source != nil
                ? Self.work(db, ask, patient: patient, field: field, terms: terms, errors: &errors)
                : Self.price(db, ask, field: field, terms: terms, errors: &errors)
            guard var line = priced else { continue }
            let amount = line.quantity * line.unitPrice
            line.discount = ask.discount?.amount(of: amount) ?? 0
            line.discountReason = line.discount > 0 ? ask.discountReason : nil
            if line.discount > amount {
                errors[field + "discount"] = "is more than the line (\(terms.money(amount)))"
            } else if terms.needsApproval(line.discount, of: amount) {
                if terms.mayApprove {
                    line.discountApprovedBy = terms.userID
                } else if let approved = approvals.lines[line.approvalKey] {
                    line.discountApprovedBy = approved
                } else {
                    needsManager[field + "discount"] = "is more than \(terms.discountLimit) of the line; a manager gives it"
                }
            }
            lines.append(line)
        }
        let remaining = lines.reduce(0) { $0 + $1.quantity * $1.unitPrice - $1.discount }
        let discount = askedDiscount?.amount(of: remaining) ?? 0
        var approvedBy: Int64? = nil
        if discount > 0, (discountReason ?? "").isEmpty { errors["discount_reason"] = "is required with a discount" }
        if discount > remaining {
            errors["discount"] = "is more than the invoice after its line discounts (\(terms.money(remaining)))"
        } else if terms.needsApproval(discount, of: remaining) {
            if terms.mayApprove {
                approvedBy = terms.userID
            } else if let whole = approvals.whole, whole.discount == discount {
                approvedBy = whole.by
            } else {
                needsManager["discount"] = "is more than \(terms.discountLimit) of the invoice; a manager gives it"
            }
        }
        guard errors.isEmpty else {
            throw Problem.invalid(errors)
        }
        guard needsManager.isEmpty else {
            throw Problem(
                .forbidden,
                title: "A manager's approval is needed",
                detail: "A discount of more than \(terms.discountLimit) needs a manager: ask one to save this invoice.",
                fieldErrors: needsManager
            )
        }
        self.lines = lines
        self.discount = discount
        self.discountReason = discount > 0 ? discountReason : nil
        self.discountApprovedBy = approvedBy
        let charged = lines.map { Charges.Line(quantity: $0.quantity, unitPrice: $0.unitPrice, discount: $0.discount, taxRate: $0.taxRate) }
        charges = Charges(charged, discount: discount, pricesIncludeTax: terms.tax.pricesIncludeTax)
    }

    /// One line billing work another module recorded: at its own amount (a treatment's fee, taxed as the price-list
    /// entry of its code, else the default class), or as the price-list entry of the kind it is priced by (a visit
    /// as a consultation type).
    private static func work(
        _ db: Database,
        _ ask: InvoiceDraft.Line,
        patient: Int64,
        field: String,
        terms: BillingTerms,
        errors: inout [String: String]
    ) throws -> Line? {
        guard let source = ask.source, let item = try BillableWork.find(db, source, patient: patient, sources: terms.sources) else {
            errors[field + "source"] = "is not work of this patient that can be billed"
            return nil
        }
        if let kind = item.pricedBy {
            guard ask.serviceID != nil || ask.serviceCode != nil else {
                errors[field + "service_id"] = "choose the \(kind) it is billed as, from the price list"
                return nil
            }
            guard var line = try price(db, ask, field: field, terms: terms, errors: &errors) else { return nil }
            let entryKind = try String.fetchOne(db, sql: "SELECT kind FROM billing_services WHERE id = ?", arguments: [line.serviceID])
            guard entryKind == kind else {
                errors[field + "service_id"] = "is not a \(kind) on the price list"
                return nil
            }
            (line.source, line.description, line.quantity) = (source, "\(line.description) — \(item.description)", 1)
            return line
        }
        if ask.serviceID != nil || ask.serviceCode != nil { errors[field + "service_id"] = "comes from the work billed; leave it out" }
        let listed = try item.itemCode.flatMap {
            try db.fetchOneCached("SELECT tax_class FROM billing_services WHERE code = ?", [$0])
        }
        let taxClass = listed?["tax_class"] as String? ?? terms.tax.defaultClass
        guard let rate = terms.tax.classes[taxClass] else {
            errors[field + "source"] = "its tax class '\(taxClass)' is no longer in the tenant file; a manager changes the price-list entry first"
            return nil
        }
        return Line(
            source: source,
            itemCode: item.itemCode,
            description: item.description,
            quantity: 1,
            unitPrice: item.amount ?? 0,
            discount: 0,
            taxClass: taxClass,
            taxRate: rate
        )
    }

    /// One line from the price list (as it is now) or as a free line; nil, with its field's message, when it cannot be billed.
    private static func price(
        _ db: Database,
        _ ask: InvoiceDraft.Line,
        field: String,
        terms: BillingTerms,
        errors: inout [String: String]
    ) throws -> Line? {
        guard ask.serviceID != nil || ask.serviceCode != nil else {
            guard let rate = terms.tax.rate(ofClass: ask.taxClass) else {
                errors[field + "tax_class"] = "must be one of this clinic's tax classes: \(terms.tax.classNames.joined(separator: ", "))"
                return nil
            }
            return Line(
                description: ask.description ?? "",
                reason: ask.reason,
                quantity: ask.quantity,
                unitPrice: ask.unitPrice ?? 0,
                discount: 0,
                taxClass: ask.taxClass ?? terms.tax.defaultClass,
                taxRate: rate
            )
        }
        let key = ask.serviceID.map { ("id = ?", $0.databaseValue) } ?? ("code = ?", (ask.serviceCode ?? "").databaseValue)
        let name = ask.serviceID != nil ? "service_id" : "service_code"
        guard
            let row = try db.fetchOneCached(
                "SELECT id, code, name, price, tax_class, active FROM billing_services WHERE \(key.0)",
                [key.1]
            )
        else {
            errors[field + name] = "is not on the price list"
            return nil
        }
        guard row["active"] as Bool else {
            errors[field + name] = "\(row["name"] as String) is no longer offered"
            return nil
        }
        let taxClass = row["tax_class"] as String? ?? terms.tax.defaultClass
        guard let rate = terms.tax.classes[taxClass] else {
            errors[field + name] =
                "the tax class '\(taxClass)' of \(row["name"] as String) is no longer in the tenant file; a manager changes the entry first"
            return nil
        }
        return Line(
            serviceID: row["id"],
            itemCode: row["code"],
            description: row["name"],
            quantity: ask.quantity,
            unitPrice: row["price"],
            discount: 0,
            taxClass: taxClass,
            taxRate: rate
        )
    }
}
