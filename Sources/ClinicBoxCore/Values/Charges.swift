/// What is charged for some lines, in minor units: the one calculation the till and invoices share, so a sale and an
/// invoice of the same things always come to the same total, tax and discount.
///
/// Discounts come before tax. A discount on the whole is shared over the lines in proportion to what is left of each
/// (so every line knows its own net, as a tax authority asks); tax is worked out once per rate on the sum of that
/// rate's lines, rounded half up, and then shared over those lines, so the lines always add up to the totals exactly.
/// Amounts are minor units whatever the currency (yen, cents, fils): the calculation never sees a decimal point.
package struct Charges: Equatable, Sendable {
    /// One line as it is asked for.
    package struct Line: Equatable, Sendable {
        /// Quantity × unit price.
        package var amount: Int64
        /// This line's own discount, at most `amount`.
        package var discount: Int64
        /// Hundredths of a percent: 16 % is 1600.
        package var taxRate: Int

        package init(quantity: Int64 = 1, unitPrice: Int64, discount: Int64 = 0, taxRate: Int) {
            amount = quantity * unitPrice
            self.discount = min(max(discount, 0), amount)
            self.taxRate = taxRate
        }
    }

    /// One line as it is charged.
    package struct Charged: Equatable, Sendable {
        package var amount: Int64
        /// The line's own discount and its share of the discount on the whole.
        package var discount: Int64
        /// What is charged before tax is added (or, when prices include tax, the price after discounts).
        package var net: Int64
        package var tax: Int64
        package var total: Int64
        package var taxRate: Int
    }

    /// The tax of one rate: what it was charged on, and how much.
    package struct RateTotal: Equatable, Sendable {
        package var rate: Int
        package var net: Int64
        package var tax: Int64
    }

    package let lines: [Charged]
    package let subtotal: Int64
    package let discount: Int64
    package let tax: Int64
    package let total: Int64
    package let rates: [RateTotal]

    /// `discount`: on the whole, after the lines' own discounts; at most what they leave (callers refuse more first).
    package init(_ asked: [Line], discount wholeDiscount: Int64 = 0, pricesIncludeTax: Bool) {
        let remaining = asked.map { $0.amount - $0.discount }
        let shares = Self.share(min(max(wholeDiscount, 0), remaining.reduce(0, +)), by: remaining)
        var charged = asked.indices.map { index in
            Charged(
                amount: asked[index].amount,
                discount: asked[index].discount + shares[index],
                net: remaining[index] - shares[index],
                tax: 0,
                total: 0,
                taxRate: asked[index].taxRate
            )
        }
        var rates: [RateTotal] = []
        for rate in Set(asked.map(\.taxRate)).sorted() {
            let indices = charged.indices.filter { charged[$0].taxRate == rate }
            let net = indices.reduce(0) { $0 + charged[$1].net }
            let tax = Self.tax(on: net, rate: rate, included: pricesIncludeTax)
            for (index, part) in zip(indices, Self.share(tax, by: indices.map { charged[$0].net })) { charged[index].tax = part }
            rates.append(RateTotal(rate: rate, net: net, tax: tax))
        }
        for index in charged.indices {
            charged[index].total = charged[index].net + (pricesIncludeTax ? 0 : charged[index].tax)
        }
        lines = charged
        subtotal = charged.reduce(0) { $0 + $1.amount }
        discount = charged.reduce(0) { $0 + $1.discount }
        tax = rates.reduce(0) { $0 + $1.tax }
        total = charged.reduce(0) { $0 + $1.total }
        self.rates = rates.filter { $0.rate > 0 }
    }

    /// The tax in `amount` at `rate` basis points: contained in it (net × r / (1 + r)) or added to it, half up.
    package static func tax(on amount: Int64, rate: Int, included: Bool) -> Int64 {
        let rate = Int64(rate)
        return included ? roundedHalfUp(amount, times: rate, over: 10_000 + rate) : roundedHalfUp(amount, times: rate, over: 10_000)
    }

    /// `percent` basis points of `amount`, half up: a discount written as a percentage.
    package static func percentage(_ basisPoints: Int, of amount: Int64) -> Int64 {
        roundedHalfUp(amount, times: Int64(basisPoints), over: 10_000)
    }

    /// `amount × numerator / denominator` rounded half up, for amounts and factors that are never negative.
    package static func roundedHalfUp(_ amount: Int64, times numerator: Int64, over denominator: Int64) -> Int64 {
        let (quotient, remainder) = denominator.dividingFullWidth(amount.multipliedFullWidth(by: numerator))
        return remainder * 2 >= denominator ? quotient + 1 : quotient
    }

    /// `total` shared in proportion to `weights`, whole units only, adding up to `total` exactly: each part is
    /// rounded down and the units left over go to the largest remainders (the earlier line first on a tie).
    package static func share(_ total: Int64, by weights: [Int64]) -> [Int64] {
        let sum = weights.reduce(0, +)
        guard total > 0, sum > 0 else { return weights.map { _ in 0 } }
        var parts: [Int64] = []
        var remainders: [(index: Int, remainder: Int64)] = []
        for (index, weight) in weights.enumerated() {
            let (part, remainder) = sum.dividingFullWidth(total.multipliedFullWidth(by: weight))
            parts.append(part)
            remainders.append((index, remainder))
        }
        let left = total - parts.reduce(0, +)
        for entry in remainders.sorted(by: { $0.remainder != $1.remainder ? $0.remainder > $1.remainder : $0.index < $1.index }).prefix(Int(left)) {
            parts[entry.index] += 1
        }
        return parts
    }
}
