import ClinicBoxCore
import Inventory
import Patients
import Prescriptions

/// The arithmetic of a sale, in minor units: discount, tax (included in prices or added), payments and change.
package struct SaleTotals: Equatable {
    package var subtotal: Int64
    package var discount: Int64
    package var tax: Int64
    package var total: Int64

    package init(subtotal: Int64, discount: Int64, tax: TenantDefinition.Tax) {
        self.subtotal = subtotal
        self.discount = discount
        let net = subtotal - discount
        let rate = Int64(tax.rateBasisPoints)
        if tax.pricesIncludeTax {
            // The tax part of a price that includes it: net × r / (1 + r), rounded half up.
            self.tax = (net * rate * 2 + (10_000 + rate)) / (2 * (10_000 + rate))
            self.total = net
        } else {
            self.tax = (net * rate * 2 + 10_000) / 20_000
            self.total = net + self.tax
        }
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
