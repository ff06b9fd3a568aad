import ClinicBoxCore

/// The forms on a draft invoice's page that add one line — from the price list, or a free line — read into the
/// line a request would send, each problem under the name of the field the person typed in.
package enum InvoiceLineForm {
    /// Page field → the field of the line it fills (`lines[N].x` in an answer's errors).
    static let serviceFields = ["service_id": "service_id", "quantity": "quantity", "discount": "discount", "discount_reason": "discount_reason"]
    static let freeFields = [
        "free_description": "description", "free_unit_price": "unit_price", "free_quantity": "quantity", "free_tax_class": "tax_class",
        "free_reason": "reason",
    ]

    /// The line `body` asks for, or the messages of what is wrong with it.
    static func read(_ body: FormBody, currency: String) -> (InvoiceDraft.Line?, [String: String]) {
        var errors: [String: String] = [:]
        var line = InvoiceDraft.Line()
        if body["kind"] == "work" {
            line.source = body["source"]
            line.serviceID = body["service_id"].flatMap { Int64($0) }
            return (line, [:])
        }
        let free = body["kind"] == "free"
        let prefix = free ? "free_" : ""
        let quantity = body[prefix + "quantity"]?.trimmingSpaces ?? ""
        if quantity.isEmpty {
            line.quantity = 1
        } else if let number = Int64(quantity), (1...10_000).contains(number) {
            line.quantity = number
        } else {
            errors[prefix + "quantity"] = "write a whole number from 1 to 10000"
        }
        if free {
            line.description = text(body, "free_description", &errors, required: "say what is billed")
            line.reason = text(body, "free_reason", &errors, required: "say why it is billed outside the price list")
            let price = body["free_unit_price"]?.trimmingSpaces ?? ""
            line.unitPrice = Money.parse(price, currency: currency)
            if line.unitPrice == nil {
                errors["free_unit_price"] = price.isEmpty ? "write the price" : "write an amount like \(Money.example(currency))"
            }
            line.taxClass = body["free_tax_class"].flatMap { $0.isEmpty ? nil : $0 }
        } else {
            line.serviceID = body["service_id"].flatMap { Int64($0) }
            if line.serviceID == nil { errors["service_id"] = "choose what is billed" }
            let discount = body["discount"]?.trimmingSpaces ?? ""
            if !discount.isEmpty {
                if discount.hasSuffix("%"), let percent = TenantFileParser.basisPoints(String(discount.dropLast()).trimmingSpaces) {
                    line.discount = .percent(percent)
                } else if let amount = Money.parse(discount, currency: currency) {
                    line.discount = .amount(amount)
                } else {
                    errors["discount"] = "write an amount like \(Money.example(currency)) or a percentage like 10%"
                }
                line.discountReason = text(body, "discount_reason", &errors, required: "say why the discount is given")
            }
        }
        return (errors.isEmpty ? line : nil, errors)
    }

    /// An answer's errors for line `index` under the page's field names; anything else as one message.
    static func pageErrors(_ fieldErrors: [String: String], line index: Int, free: Bool) -> (fields: [String: String], other: [String]) {
        let names = free ? freeFields : serviceFields
        var fields: [String: String] = [:]
        var other: [String] = []
        for (field, message) in fieldErrors.sorted(by: { $0.key < $1.key }) {
            let prefix = "lines[\(index)]."
            if field.hasPrefix(prefix), let page = names.first(where: { $0.value == String(field.dropFirst(prefix.count)) })?.key {
                fields[page] = message
            } else if field == "lines[\(index)].service_code" {
                fields["service_id"] = message
            } else {
                other.append(message)
            }
        }
        return (fields, other)
    }

    private static func text(_ body: FormBody, _ name: String, _ errors: inout [String: String], required: String) -> String? {
        let value = body[name]?.trimmingSpaces ?? ""
        if value.isEmpty { errors[name] = required } else if value.count > 500 { errors[name] = "write at most 500 characters" }
        return value.isEmpty ? nil : String(value.prefix(500))
    }
}
