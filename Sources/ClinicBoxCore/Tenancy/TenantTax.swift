import Foundation

extension TenantDefinition {
    /// Sales tax (VAT/GST) by class, from `tax:`. Medical services are often exempt while goods are taxed, so a
    /// tenant names its classes (`classes: {standard: 16, exempt: 0}`) and the one a price without a class of its own
    /// falls in (`default_class`); the older `tax: {rate: 16}` is one class, `standard`.
    public struct Tax: Sendable, Equatable {
        /// Each class's rate in hundredths of a percent: 16 % is 1600, 7.5 % is 750.
        public var classes: [String: Int]
        public var defaultClass: String
        /// Prices already contain the tax (usual for pharmacies); otherwise tax is added on top.
        public var pricesIncludeTax: Bool

        public static let none = Tax(rateBasisPoints: 0, pricesIncludeTax: true)

        /// The class a single `rate:` makes.
        package static let singleClass = "standard"

        package init(classes: [String: Int], defaultClass: String, pricesIncludeTax: Bool) {
            self.classes = classes
            self.defaultClass = defaultClass
            self.pricesIncludeTax = pricesIncludeTax
        }

        package init(rateBasisPoints: Int, pricesIncludeTax: Bool) {
            self.init(classes: [Self.singleClass: rateBasisPoints], defaultClass: Self.singleClass, pricesIncludeTax: pricesIncludeTax)
        }

        /// The default class's rate: what a product or service without a class of its own is charged.
        public var rateBasisPoints: Int { classes[defaultClass] ?? 0 }

        public var ratePercent: String { Self.percent(rateBasisPoints) }

        /// The rate of `taxClass` (nil: the default class's); nil when the tenant file no longer names that class.
        package func rate(ofClass taxClass: String?) -> Int? {
            guard let taxClass else { return rateBasisPoints }
            return classes[taxClass]
        }

        /// The class names, the default first: the order a form offers them.
        package var classNames: [String] { [defaultClass] + classes.keys.filter { $0 != defaultClass }.sorted() }

        /// 1600 → "16", 750 → "7.5", 1234 → "12.34".
        package static func percent(_ basisPoints: Int) -> String {
            guard basisPoints % 100 != 0 else { return String(basisPoints / 100) }
            let fraction = String(format: "%02d", basisPoints % 100)
            return "\(basisPoints / 100).\(fraction.hasSuffix("0") ? String(fraction.prefix(1)) : fraction)"
        }

        /// "16% included", or "standard 16%, exempt 0% (default exempt), added" for several classes.
        package var summary: String {
            let how = pricesIncludeTax ? "included" : "added"
            guard classes.count > 1 else { return "\(ratePercent)% \(how)" }
            let rates = classes.sorted { $0.key < $1.key }.map { "\($0.key) \(Self.percent($0.value))%" }.joined(separator: ", ")
            return "\(rates) (default \(defaultClass)), \(how)"
        }
    }
}
