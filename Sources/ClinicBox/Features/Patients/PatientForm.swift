import Foundation
import GRDB

/// A patient as a request writes it, validated into column values.
struct PatientForm {
    static let fields: Set<String> = [
        "first_name", "last_name", "date_of_birth", "sex", "phone", "email", "address", "allergies", "notes", "active",
    ]
    static let sexes = ["female", "male", "other", "unknown"]

    var firstName: String?
    var lastName: String?
    var dateOfBirth: String?
    var sex: String?
    var phone: String?
    var email: String?
    var address: String?
    var allergies: String?
    var notes: String?
    var active = true

    init() {}

    /// The stored values of an existing patient, for a PATCH to change.
    init(row: Row) {
        firstName = row["first_name"]
        lastName = row["last_name"]
        dateOfBirth = row["date_of_birth"]
        sex = row["sex"]
        phone = row["phone"]
        email = row["email"]
        address = row["address"]
        allergies = row["allergies"]
        notes = row["notes"]
        active = row["active"]
    }

    /// Applies the fields the request names (all of them for a new patient) and validates the result.
    mutating func apply(_ request: inout RequestFields, today: CalendarDate) {
        if request.has("first_name") { firstName = request.text("first_name", required: true, maxLength: 100) }
        if request.has("last_name") { lastName = request.text("last_name", required: true, maxLength: 100) }
        if firstName == nil { request.fail("first_name", "is required") }
        if lastName == nil { request.fail("last_name", "is required") }
        if request.has("date_of_birth") {
            let date = request.date("date_of_birth")
            if let date, date > today || date.year < 1900 {
                request.fail("date_of_birth", "must be a date in the past")
            }
            dateOfBirth = date?.description
        }
        if request.has("sex") { sex = request.choice("sex", Self.sexes) }
        if request.has("phone") {
            phone = request.text("phone", maxLength: 40)
            if let phone, !Self.isPhone(phone) { request.fail("phone", "must be a phone number: digits, spaces, +, -, ( ) and at least 5 digits") }
        }
        if request.has("email") {
            email = request.text("email", maxLength: 254)
            if let email, !Self.isEmail(email) { request.fail("email", "must be an email address like name@example.com") }
        }
        if request.has("address") { address = request.text("address", maxLength: 500) }
        if request.has("allergies") { allergies = request.text("allergies", maxLength: 2000) }
        if request.has("notes") { notes = request.text("notes", maxLength: 10_000) }
        if request.has("active") { active = request.bool("active", required: true) ?? active }
    }

    /// Column values, including the derived search columns.
    var columns: [(String, DatabaseValue)] {
        [
            ("first_name", (firstName ?? "").databaseValue), ("last_name", (lastName ?? "").databaseValue),
            ("date_of_birth", dateOfBirth.databaseValue), ("sex", sex.databaseValue), ("phone", phone.databaseValue),
            ("email", email.databaseValue), ("address", address.databaseValue), ("allergies", allergies.databaseValue),
            ("notes", notes.databaseValue), ("active", active.databaseValue),
            ("sort_name", Self.sortName(first: firstName ?? "", last: lastName ?? "").databaseValue),
            ("phone_digits", phone.map(Self.digits).databaseValue),
        ]
    }

    /// "last first", folded for case- and accent-insensitive search and sorting.
    static func sortName(first: String, last: String) -> String {
        "\(last) \(first)".folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }

    static func digits(_ text: String) -> String { text.filter(\.isASCIIDigit) }

    static func isPhone(_ text: String) -> Bool {
        text.allSatisfy { $0.isASCIIDigit || " +-()./".contains($0) } && digits(text).count >= 5
    }

    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
            && !text.contains(where: \.isWhitespace)
    }
}
