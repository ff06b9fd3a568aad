import Foundation
import Hummingbird

/// A submitted HTML form (`application/x-www-form-urlencoded`): the raw values, to show the user again exactly
/// what they typed, and the same strict `RequestFields` the JSON API validates with.
package struct FormBody {
    package let values: [String: String]

    package static func read(_ request: Request) async throws -> FormBody {
        let body = try await request.body.collect(upTo: 256 * 1024)
        var values: [String: String] = [:]
        for pair in String(buffer: body).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]) else { continue }
            values[name] = parts.count > 1 ? decode(parts[1]) ?? "" : ""
        }
        return FormBody(values: values)
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    package subscript(name: String) -> String? { values[name] }

    /// The form's fields other than `ignoring` (CSRF token, version) as `RequestFields`: an empty box is no value,
    /// a checkbox in `checkboxes` is true when sent with a value and false when not, a field in `integers` is a
    /// number when it reads as one. Any other field is refused, as in the API.
    package func fields(
        allowed: Set<String>,
        checkboxes: Set<String> = [],
        integers: Set<String> = [],
        amounts: Set<String> = [],
        currency: String = "",
        ignoring: Set<String> = ["csrf_token"]
    ) throws -> RequestFields {
        var object: [String: JSONValue] = [:]
        var notAmounts: [String] = []
        for (name, value) in values where !ignoring.contains(name) {
            if checkboxes.contains(name) {
                object[name] = .bool(!value.isEmpty)
            } else if value.isEmpty {
                object[name] = .null
            } else if integers.contains(name), let number = Int64(value) {
                object[name] = .integer(number)
            } else if amounts.contains(name) {
                // An amount as the currency is written (`12.50`), in minor units as the API takes it.
                if let amount = Money.parse(value, currency: currency) { object[name] = .integer(amount) } else { notAmounts.append(name) }
                object[name] = object[name] ?? .string(value)
            } else {
                object[name] = .string(value)
            }
        }
        for name in checkboxes where object[name] == nil { object[name] = .bool(false) }
        var fields = RequestFields(object: object)
        try fields.refuseUnknown(allowed: allowed)
        for name in notAmounts { fields.fail(name, "write an amount like \(Money.example(currency))") }
        return fields
    }

    /// The submitted values of `record`'s fields, typed from its description, plus the checkboxes `alsoCheckboxes`;
    /// amounts are read as `currency` writes them.
    package func fields(
        of record: RecordFields,
        alsoCheckboxes: Set<String> = [],
        ignoring: Set<String> = ["csrf_token"],
        currency: String = ""
    ) throws -> RequestFields {
        try fields(
            allowed: record.names.union(alsoCheckboxes),
            checkboxes: record.checkboxes.union(alsoCheckboxes),
            integers: record.integers,
            amounts: record.amounts,
            currency: currency,
            ignoring: ignoring
        )
    }

    package init(values: [String: String]) {
        self.values = values
    }
}
