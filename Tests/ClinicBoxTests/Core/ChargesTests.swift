import ClinicBoxCore
import Testing

/// The one calculation of the till and invoices, in the minor units of currencies with zero, two and three decimals.
@Suite struct ChargesTests {
    @Test func yenHasNoDecimalsAndTheLinesAddUpToTheTotals() {
        // 10 % included; ¥100 off the whole, shared 50/50 (the tie goes to the earlier line), tax ¥172.7 → ¥173.
        let charges = Charges(
            [.init(quantity: 3, unitPrice: 333, taxRate: 1000), .init(unitPrice: 1001, taxRate: 1000)],
            discount: 100,
            pricesIncludeTax: true
        )
        #expect(charges.lines.map(\.discount) == [50, 50] && charges.lines.map(\.net) == [949, 951])
        #expect(charges.tax == 173 && charges.lines.map(\.tax) == [86, 87])
        #expect(charges.total == 1900 && Money.format(charges.total, currency: "JPY") == "JPY 1,900")
    }

    @Test func kuwaitiDinarsHaveThreeDecimals() {
        // 3 × KWD 1.255 with 5 % added: 3.765 + 0.18825 → 0.188 tax, 3.953 in all.
        let charges = Charges([.init(quantity: 3, unitPrice: 1255, taxRate: 500)], pricesIncludeTax: false)
        #expect(charges.subtotal == 3765 && charges.tax == 188 && charges.total == 3953)
        #expect(Money.format(charges.total, currency: "KWD") == "KWD 3.953" && Money.format(charges.tax, currency: "KWD") == "KWD 0.188")
    }

    @Test func poundsRoundAHalfUp() {
        // £9.99 with 20 % inside: 999 × 20 / 120 = 166.5 → 167; the penny line gets none of it.
        let charges = Charges([.init(quantity: 2, unitPrice: 499, taxRate: 2000), .init(unitPrice: 1, taxRate: 2000)], pricesIncludeTax: true)
        #expect(charges.tax == 167 && charges.lines.map(\.tax) == [167, 0] && charges.total == 999)
        #expect(Money.format(charges.tax, currency: "GBP") == "GBP 1.67")
    }

    @Test func shillingsWithTwoTaxClassesAndBothKindsOfDiscount() {
        // A taxed good (16 % added) and an exempt consultation with 10 % off it, then KES 50 off the whole.
        let consultation = Charges.percentage(1000, of: 250_000)
        let charges = Charges(
            [.init(unitPrice: 150_000, taxRate: 1600), .init(unitPrice: 250_000, discount: consultation, taxRate: 0)],
            discount: 5_000,
            pricesIncludeTax: false
        )
        #expect(consultation == 25_000)
        #expect(charges.lines.map(\.discount) == [2_000, 28_000] && charges.lines.map(\.net) == [148_000, 222_000])
        #expect(charges.lines.map(\.tax) == [23_680, 0] && charges.rates.map(\.rate) == [1600] && charges.rates.map(\.tax) == [23_680])
        #expect(charges.discount == 30_000 && charges.total == 393_680)
        #expect(Money.format(charges.total, currency: "KES") == "KES 3,936.80")
    }

    @Test func aSaleAtOneRateIsTaxedOnItsWholeNetAsTheTillWas() {
        // The till's first sale test: 800 with 20 % included is 133 of tax, whatever the lines.
        let tax = TenantDefinition.Tax(rateBasisPoints: 2000, pricesIncludeTax: true)
        let single = Charges([.init(unitPrice: 800, taxRate: tax.rateBasisPoints)], pricesIncludeTax: true)
        let split = Charges([.init(unitPrice: 500, taxRate: 2000), .init(unitPrice: 300, taxRate: 2000)], pricesIncludeTax: true)
        #expect(single.tax == 133 && split.tax == 133 && split.lines.map(\.tax).reduce(0, +) == 133)
    }

    @Test func everyShareAddsUpExactly() {
        // A thousand baskets from a fixed seed: the lines always add up to the totals, to the minor unit.
        var seed: UInt64 = 0x5EED
        func next(_ bound: Int64) -> Int64 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int64((seed >> 33) % UInt64(bound))
        }
        for _ in 0..<1_000 {
            let lines = (0...next(6)).map { _ in
                Charges.Line(quantity: 1 + next(5), unitPrice: next(1_000_000), discount: next(50_000), taxRate: [0, 750, 1600, 2000][Int(next(4))])
            }
            let included = next(2) == 0
            let charges = Charges(lines, discount: next(100_000), pricesIncludeTax: included)
            #expect(charges.lines.map(\.tax).reduce(0, +) == charges.tax)
            #expect(charges.lines.map(\.discount).reduce(0, +) == charges.discount && charges.discount <= charges.subtotal)
            #expect(charges.lines.allSatisfy { $0.net >= 0 && $0.total == $0.net + (included ? 0 : $0.tax) })
            #expect(charges.total == charges.subtotal - charges.discount + (included ? 0 : charges.tax))
        }
    }
}
