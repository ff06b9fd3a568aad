import Foundation

/// Minor units as a person reads them, e.g. 1250 GBP → "GBP 12.50" (zero-decimal currencies have no point).
enum Money {
    static func format(_ amount: Int64, currency: String) -> String {
        "\(currency) \(number(amount, currency: currency))"
    }

    /// The amount without the currency, as a form field shows it for editing ("12.50"); `parse` reads it back.
    static func number(_ amount: Int64, currency: String) -> String {
        let digits = ISOCurrency.minorUnits(currency)
        guard digits > 0 else { return String(amount) }
        var scale: Int64 = 1
        for _ in 0..<digits { scale *= 10 }
        let sign = amount < 0 ? "-" : ""
        return "\(sign)\(abs(amount) / scale).\(String(abs(amount) % scale).leftPadded(to: digits))"
    }

    /// An amount a person typed ("12.50", "12", "1,200.5") in minor units of `currency`; nil when it is not one.
    static func parse(_ text: String, currency: String) -> Int64? {
        let digits = ISOCurrency.minorUnits(currency)
        let cleaned = text.replacingOccurrences(of: ",", with: "").trimmingSpaces
        let parts = cleaned.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int64(parts[0]), whole >= 0 else { return nil }
        var scale: Int64 = 1
        for _ in 0..<digits { scale *= 10 }
        guard parts.count == 2 else { return whole * scale }
        let fraction = String(parts[1])
        guard fraction.count <= digits, fraction.allSatisfy(\.isASCIIDigit), let value = Int64(fraction.isEmpty ? "0" : fraction) else { return nil }
        var padded = value
        for _ in fraction.count..<digits { padded *= 10 }
        return whole * scale + padded
    }
}
