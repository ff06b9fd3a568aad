import ClinicBoxCore

/// An invoice as a request asks for it, before the price list and the tax classes are applied: its patient and
/// branch, its lines (from the price list, or free lines with a reason) and its discounts. The API sends it as
/// JSON; the pages build the same value from the lines already on a draft and the one being added or removed.
package struct InvoiceDraft: Sendable, Equatable {
    /// A discount as it is asked for: an amount in minor units, or hundredths of a percent of what it is taken off.
    package enum Discount: Sendable, Equatable {
        case amount(Int64)
        case percent(Int)

        /// The amount it takes off `base`.
        package func amount(of base: Int64) -> Int64 {
            switch self {
            case .amount(let amount): amount
            case .percent(let basisPoints): Charges.percentage(basisPoints, of: base)
            }
        }
    }

    package struct Line: Sendable, Equatable {
        /// Work another module recorded (`treatment:12`), billed once.
        package var source: String?
        /// A price-list entry, by id or by code; nil for a free line.
        package var serviceID: Int64?
        package var serviceCode: String?
        /// A free line's text and price, and why it is billed outside the price list.
        package var description: String?
        package var unitPrice: Int64?
        package var reason: String?
        package var taxClass: String?
        package var quantity: Int64 = 1
        package var discount: Discount?
        package var discountReason: String?
        /// The payer's part of the line, when it is not the payer's usual share (an amount, or a percentage).
        package var payerShare: Discount?
        /// The payer's pre-authorisation reference for this line.
        package var preauthorisation: String?

        package static let fields: Set<String> = [
            "source", "service_id", "service_code", "description", "unit_price", "reason", "tax_class", "quantity", "discount", "discount_percent",
            "discount_reason", "payer_share", "payer_share_percent", "preauthorisation",
        ]
    }

    package var patientID: Int64?
    package var branch: String?
    package var lines: [Line]?
    package var discount: Discount?
    package var discountReason: String?
    package var buyerTaxNumber: String?
    package var notes: String?
    /// The code of the payer (`payers:`) that pays part of it; nil: the patient pays all.
    package var payer: String?
    /// The fields the request named: a change sets these (to nothing, when sent empty) and keeps the rest.
    package var named: Set<String> = []

    package static let fields: Set<String> = [
        "patient_id", "branch", "lines", "discount", "discount_percent", "discount_reason", "buyer_tax_number", "notes", "payer",
    ]

    package init() {}

    /// Reads the fields `request` names; a change (`PATCH`) names only what it changes, `lines` replacing them all.
    package static func read(_ request: inout RequestFields) -> InvoiceDraft {
        var draft = InvoiceDraft()
        draft.named = fields.filter(request.has)
        if request.has("patient_id") { draft.patientID = request.integer("patient_id", in: 1...Int64.max) }
        if request.has("branch") { draft.branch = request.text("branch", maxLength: 40) }
        if request.has("lines") {
            draft.lines = request.objects("lines", allowed: Line.fields, maxCount: 200) { item in readLine(&item) }
        }
        draft.discount = discount(&request)
        if request.has("discount_reason") { draft.discountReason = request.text("discount_reason", maxLength: 500) }
        if request.has("buyer_tax_number") { draft.buyerTaxNumber = request.text("buyer_tax_number", maxLength: 40) }
        if request.has("notes") { draft.notes = request.text("notes", maxLength: 2_000) }
        if request.has("payer") { draft.payer = request.text("payer", maxLength: 20) }
        return draft
    }

    private static func readLine(_ item: inout RequestFields) -> Line? {
        var line = Line()
        line.source = item.text("source", maxLength: 60)
        line.serviceID = item.integer("service_id", in: 1...Int64.max)
        line.serviceCode = item.text("service_code", maxLength: 20)
        line.description = item.text("description", maxLength: 200)
        line.unitPrice = item.money("unit_price")
        line.reason = item.text("reason", maxLength: 500)
        line.taxClass = item.text("tax_class", maxLength: 32)
        line.quantity = item.integer("quantity", in: 1...10_000) ?? 1
        line.discount = discount(&item)
        line.discountReason = item.text("discount_reason", maxLength: 500)
        line.payerShare = portion(&item, amount: "payer_share", percent: "payer_share_percent")
        line.preauthorisation = item.text("preauthorisation", maxLength: 60)
        let fromList = line.serviceID != nil || line.serviceCode != nil || line.source != nil
        if line.serviceID != nil && line.serviceCode != nil { item.fail("service_code", "give service_id or service_code, not both") }
        if fromList {
            for name in ["description", "unit_price", "reason", "tax_class"] where item.has(name) {
                item.fail(name, "comes from the price list or the work billed; leave it out, or bill a free line")
            }
        } else {
            // A free line says what it is, what it costs and why it is not on the price list.
            if line.description == nil { item.fail("description", "is required for a line that is not on the price list") }
            if line.unitPrice == nil { item.fail("unit_price", "is required for a line that is not on the price list") }
            if line.reason == nil { item.fail("reason", "is required for a line that is not on the price list: say why it is billed") }
        }
        if line.source != nil, item.has("quantity"), line.quantity != 1 { item.fail("quantity", "is 1 for work that is billed once") }
        if let discount = line.discount, discount != .amount(0), line.discountReason == nil {
            item.fail("discount_reason", "is required with a discount")
        }
        return line
    }

    /// `discount` (an amount) or `discount_percent` (0–100, two decimals at most), not both; nil when neither is
    /// named, and no discount (`.amount(0)`) when one is named empty or zero.
    private static func discount(_ request: inout RequestFields) -> Discount? {
        portion(&request, amount: "discount", percent: "discount_percent")
    }

    /// A part of an amount, as `amount` (minor units) or `percent` (0–100, two decimals at most), not both; nil
    /// when neither is named, and nothing (`.amount(0)`) when one is named empty or zero.
    private static func portion(_ request: inout RequestFields, amount amountField: String, percent percentField: String) -> Discount? {
        guard request.has(amountField) || request.has(percentField) else { return nil }
        let amount = request.has(amountField) ? request.money(amountField) : nil
        let percent = request.has(percentField) ? request.measurement(percentField, in: 0...100, unit: "%") : nil
        if amount != nil, percent != nil { request.fail(percentField, "give \(amountField) or \(percentField), not both") }
        if let percent {
            let basisPoints = (percent * 100).rounded()
            guard abs(percent * 100 - basisPoints) < 1e-6 else {
                request.fail(percentField, "must have at most two decimals")
                return nil
            }
            return .percent(Int(basisPoints))
        }
        return .amount(amount ?? 0)
    }
}
