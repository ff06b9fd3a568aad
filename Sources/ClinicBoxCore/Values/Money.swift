import Foundation

/// Minor units as a person reads them, e.g. 1500000 KES → "KES 15,000.00" (zero-decimal currencies have no point).
package enum Money {
    package static func format(_ amount: Int64, currency: String) -> String {
        "\(currency) \(grouped(number(amount, currency: currency)))"
    }

    /// `15000.00` → `15,000.00`: thousands separated as people read them on pages and paper. Form fields, CSV and
    /// the API keep `number`'s plain digits, which `parse` and spreadsheets read back.
    package static func grouped(_ number: String) -> String {
        let sign = number.hasPrefix("-") ? "-" : ""
        let unsigned = number.dropFirst(sign.count)
        let whole = unsigned.prefix { $0 != "." }
        guard whole.count > 3 else { return number }
        var groups: [Substring] = []
        var end = whole.endIndex
        while end > whole.startIndex {
            let start = whole.index(end, offsetBy: -3, limitedBy: whole.startIndex) ?? whole.startIndex
            groups.insert(whole[start..<end], at: 0)
            end = start
        }
        return sign + groups.joined(separator: ",") + unsigned.dropFirst(whole.count)
    }

    /// The amount without the currency, as a form field shows it for editing ("12.50"); `parse` reads it back.
    package static func number(_ amount: Int64, currency: String) -> String {
        let digits = ISOCurrency.minorUnits(currency)
        guard digits > 0 else { return String(amount) }
        var scale: Int64 = 1
        for _ in 0..<digits { scale *= 10 }
        let sign = amount < 0 ? "-" : ""
        return "\(sign)\(abs(amount) / scale).\(String(abs(amount) % scale).leftPadded(to: digits))"
    }

    /// How an amount is typed in `currency`, for a message: "12.50", "1250" (yen), "12.500" (dinars).
    package static func example(_ currency: String) -> String {
        var amount: Int64 = 1250
        for _ in 2..<max(2, ISOCurrency.minorUnits(currency)) { amount *= 10 }
        return ISOCurrency.minorUnits(currency) == 0 ? "1250" : number(amount, currency: currency)
    }

    /// An amount a person typed ("12.50", "12", "1,200.5") in minor units of `currency`; nil when it is not one.
    package static func parse(_ text: String, currency: String) -> Int64? {
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
