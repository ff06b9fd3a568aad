import ClinicBoxCore
import Inventory
import Patients
import Prescriptions

extension Charges {
    /// A sale's charges, through the calculation invoices use: each line (quantity × price, as taken from its
    /// batches) at its product's tax rate, the discount on the whole.
    package init(sale lines: [(amount: Int64, taxRate: Int)], discount: Int64, tax: TenantDefinition.Tax) {
        self.init(lines.map { Line(unitPrice: $0.amount, taxRate: $0.taxRate) }, discount: discount, pricesIncludeTax: tax.pricesIncludeTax)
    }

    /// Why `payments` cannot settle `total`, or nil when they can. Only cash can be more than what is due
    /// (the difference is change); card and mobile money are charged exactly.
    package func paymentProblem(_ payments: [SaleForm.Payment], currency: String) -> String? {
        let paid = payments.reduce(0) { $0 + $1.amount }
        let exact = payments.filter { $0.method != "cash" }.reduce(0) { $0 + $1.amount }
        let money = { (amount: Int64) in Money.format(amount, currency: currency) }
        if paid < total { return "add up to \(money(paid)), less than the total of \(money(total))" }
        if exact > total {
            return "charge \(money(exact)) by card or mobile money, more than the total of \(money(total)); only cash can give change"
        }
        return nil
    }
}
