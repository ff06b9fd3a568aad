/// How a tenant's phone numbers are written in full: its country's calling code and trunk prefix, so that a local
/// `0151 2345 6789` and an international `+49 151 2345 6789` are the same number, `+4915123456789` (E.164).
/// Patients' numbers are stored in this form beside what was typed, and a search box's number is read the same
/// way, so either spelling finds the patient.
package struct PhoneNumbering: Sendable, Hashable {
    /// `49`; nil when the tenant names no country and its own phone number is not international.
    package let callingCode: String?

    package init(callingCode: String?) { self.callingCode = callingCode }

    /// The tenant's country (`country:`), else the calling code of its own number (`contact.phone`).
    package init(country: String?, contactPhone: String?) {
        if let country, let code = CallingCodes.byCountry[country] {
            callingCode = code
        } else if let phone = contactPhone, let international = Self.internationalDigits(phone) {
            callingCode = CallingCodes.prefix(of: international[...])
        } else {
            callingCode = nil
        }
    }

    /// The number in E.164 (`+4915123456789`), or nil when it cannot be: too short or long, or written locally
    /// while the tenant's country is unknown.
    package func e164(_ text: String) -> String? {
        let digits: String
        if let international = Self.internationalDigits(text) {
            digits = international
        } else if let callingCode, let national = nationalDigits(text) {
            digits = callingCode + national
        } else {
            return nil
        }
        // E.164 allows 15 digits; fewer than 7 is a fragment, not a number.
        guard (7...15).contains(digits.count), CallingCodes.prefix(of: digits[...]) != nil else { return nil }
        return "+" + digits
    }

    /// The digits after `+` or the international prefix `00`. A trunk prefix written in brackets, as in
    /// `+49 (0)30 …`, is not part of the number.
    private static func internationalDigits(_ text: String) -> String? {
        let trimmed = text.drop { $0 == " " }
        let digits = text.replacingOccurrences(of: "(0)", with: "").filter(\.isASCIIDigit)
        if trimmed.hasPrefix("+") { return digits }
        if digits.hasPrefix("00") { return String(digits.dropFirst(2)) }
        return nil
    }

    /// A local number's digits without its trunk prefix: `0` in most countries, none in Italy (the 0 is part
    /// of the number), `1` in the North American plan, `8` in Russia, Kazakhstan, Belarus and Lithuania.
    private func nationalDigits(_ text: String) -> String? {
        var digits = Substring(text.filter(\.isASCIIDigit))
        guard !digits.isEmpty else { return nil }
        switch callingCode {
        case "1":
            if digits.hasPrefix("011") { return nil }
            if digits.count == 11, digits.hasPrefix("1") { digits = digits.dropFirst() }
        case "39", "378": break
        case "7", "375", "370":
            if digits.hasPrefix("8") { digits = digits.dropFirst() }
        case "36":
            if digits.hasPrefix("06") { digits = digits.dropFirst(2) }
        default:
            if digits.hasPrefix("0") { digits = digits.dropFirst() }
        }
        return String(digits)
    }
}
