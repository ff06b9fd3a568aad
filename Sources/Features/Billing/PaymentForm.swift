import ClinicBoxCore

/// The *Take a payment* form of the invoice and statement pages: method, amount as the currency is written, and
/// the transaction code for mobile money; read into what `Payments.take` records, each problem under its field.
enum PaymentForm {
    static let methodNames = [
        "cash": "Cash", "card": "Card", "mobile_money": "Mobile money (e.g. M-Pesa)", "bank_transfer": "Bank transfer",
        "insurer": "Insurer remittance",
    ]

    static func fields(values: [String: String], errors: [String: String], due: Int64, currency: String) -> [FormField] {
        [
            FormField(
                name: "method",
                label: "Paid by",
                kind: .select(options: Payments.methods.map { ($0, methodNames[$0] ?? $0) }),
                value: values["method"] ?? "cash",
                required: true,
                error: errors["method"]
            ),
            FormField(
                name: "amount",
                label: "Amount",
                value: values["amount"] ?? (due > 0 ? Money.number(due, currency: currency) : ""),
                required: true,
                autocomplete: "off",
                error: errors["amount"]
            ),
            FormField(
                name: "reference",
                label: "Transaction code (mobile money) or reference",
                value: values["reference"] ?? "",
                autocomplete: "off",
                error: errors["reference"]
            ),
        ]
    }

    /// Method, amount and reference from `body`, or the messages of what is wrong.
    static func read(_ body: FormBody, currency: String) -> (method: String, amount: Int64, reference: String?)? {
        guard let method = body["method"], Payments.methods.contains(method), let amount = Money.parse(body["amount"] ?? "", currency: currency),
            amount > 0
        else { return nil }
        let typed = body["reference"]?.trimmingSpaces ?? ""
        if method == "mobile_money" { return Payments.mobileMoneyReference(typed).map { (method, amount, $0) } }
        return (method, amount, typed.isEmpty ? nil : String(typed.prefix(40)))
    }

    static func errors(_ body: FormBody, currency: String) -> [String: String] {
        var errors: [String: String] = [:]
        if !Payments.methods.contains(body["method"] ?? "") { errors["method"] = "choose how it was paid" }
        if (Money.parse(body["amount"] ?? "", currency: currency) ?? 0) <= 0 { errors["amount"] = "write an amount like \(Money.example(currency))" }
        let typed = body["reference"]?.trimmingSpaces ?? ""
        if body["method"] == "mobile_money" {
            if typed.isEmpty {
                errors["reference"] = "write the transaction code of the mobile money message"
            } else if Payments.mobileMoneyReference(typed) == nil {
                errors["reference"] = "the code of the message has 8 to 20 letters and digits, e.g. QGH7XK2L9P"
            }
        }
        return errors
    }
}
