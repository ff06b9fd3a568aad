import ClinicBoxCore
import Foundation
import GRDB

/// A patient as a request writes it, validated into column values.
package struct PatientForm {
    package static let sexes = ["female", "male", "other", "unknown"]

    /// A patient's fields, described once: the API, the stored JSON, the OpenAPI schema and the pages derive from
    /// this list.
    package static let fields = RecordFields([
        .text("first_name", "First name", maxLength: 100, required: true),
        .text("last_name", "Last name", maxLength: 100, required: true),
        .date("date_of_birth", "Date of birth"),
        .choice("sex", "Sex", sexes),
        .text("phone", "Phone", maxLength: 40, input: "tel"),
        .text("email", "Email", maxLength: 254, input: "email"),
        .text("address", "Address", maxLength: 500, lines: true),
        .text("notes", "Notes", maxLength: 10_000, lines: true),
        .boolean("active", "Active patient", default: true),
        .text("source_number", "Number in the previous system", maxLength: 40),
    ])

    package private(set) var values: RecordValues

    package init() { values = Self.fields.initialValues }

    /// The stored values of an existing patient, for a PATCH to change.
    package init(row: Row) { values = Self.fields.values(of: row) }

    package var firstName: String { values.text("first_name") ?? "" }
    package var lastName: String { values.text("last_name") ?? "" }
    package var dateOfBirth: String? { values.text("date_of_birth") }

    /// A field that moved: allergies are entries of their own, each with a severity, so a prescription can be checked.
    package static let movedFields = [
        "allergies":
            "is no longer part of the patient: record each allergy with POST /api/v1/patients/{id}/allergies, or PUT /api/v1/patients/{id}/allergies/none"
    ]

    /// Applies the fields the request names (all of them for a new patient) and validates the result.
    /// The phone number is also stored in E.164 (`phone_e164`) as `numbering` writes it in full, for search.
    package mutating func apply(_ request: inout RequestFields, today: CalendarDate, numbering: PhoneNumbering) {
        Self.fields.apply(&request, to: &values)
        for (name, message) in Self.movedFields where request.has(name) { request.fail(name, message) }
        if request.has("date_of_birth"), let date = dateOfBirth.flatMap(CalendarDate.init), date > today || date.year < 1900 {
            request.fail("date_of_birth", "must be a date in the past")
        }
        if request.has("phone") {
            let phone = values.text("phone")
            if let phone, !Self.isPhone(phone) { request.fail("phone", "must be a phone number: digits, spaces, +, -, ( ) and at least 5 digits") }
            values["phone_e164"] = phone.flatMap(numbering.e164).databaseValue
        }
        if request.has("email"), let email = values.text("email"), !Self.isEmail(email) {
            request.fail("email", "must be an email address like name@example.com")
        }
    }

    /// Column values, including the derived search columns.
    package var columns: [(String, DatabaseValue)] {
        values.columns + [
            ("sort_name", Self.sortName(first: firstName, last: lastName).databaseValue),
            ("phone_digits", values.text("phone").map(Self.digits).databaseValue),
        ]
    }

    /// "last first", folded for case- and accent-insensitive search and sorting.
    package static func sortName(first: String, last: String) -> String {
        "\(last) \(first)".folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }

    package static func digits(_ text: String) -> String { text.filter(\.isASCIIDigit) }

    package static func isPhone(_ text: String) -> Bool {
        text.allSatisfy { $0.isASCIIDigit || " +-()./".contains($0) } && digits(text).count >= 5
    }

    package static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
            && !text.contains(where: \.isWhitespace)
    }
}
