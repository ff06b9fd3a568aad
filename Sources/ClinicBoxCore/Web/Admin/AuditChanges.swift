import Foundation

/// An audit row's `changes` (`{"phone": {"before": "…", "after": "…"}}`): as stored, for the verbs that look at
/// them, and as a person reads them — the fields people know, each `before → after`, with times in the tenant's
/// zone, money in its currency, branch and user names instead of codes. Columns kept only for search, sorting,
/// links or the API (`sort_name`, `phone_digits`, `api_json`, `patient_id`) are left out; the API keeps them all.
package struct AuditChanges: Sendable {
    package struct Value: Sendable {
        package var before: String?
        package var after: String?
    }

    package struct Line: Sendable {
        package var field: String
        package var before: String?
        package var after: String?
    }

    /// What a reading needs beyond the JSON: the tenant, the record's kind and the names of users it mentions.
    package struct Reading {
        package var tenant: Tenant
        package var kind: AuditRecordKind?
        package var userNames: [Int64: String] = [:]
        /// A page shows a file's SHA-256 by its first digits, which fit a phone; the CSV keeps all 64.
        package var wholeDigests = false
    }

    /// Columns that are derived from the ones shown, or bookkeeping.
    package static let internalFields: Set<String> = [
        "sort_name", "phone_digits", "phone_e164", "api_json", "version", "created_at", "updated_at", "token_hash", "password_hash",
        "local_start", "local_date", "ends_at",
        "what",  // a chart view's, which its sentence says
        "recorded_by",  // beside `recorded_by_name`, the name at the time
    ]

    package let values: [String: Value]

    package init(json: String?) {
        guard let data = json?.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            values = [:]
            return
        }
        values = object.mapValues { change in
            let change = change as? [String: Any] ?? [:]
            return Value(before: change["before"] as? String, after: change["after"] as? String)
        }
    }

    package func after(_ field: String) -> String? { values[field]?.after }
    package func before(_ field: String) -> String? { values[field]?.before }

    /// The fields a person knows, sorted, each as they read it.
    package func lines(_ reading: Reading) -> [Line] {
        values.keys.filter { field in
            !Self.internalFields.contains(field) && (!field.hasSuffix("_id") || reading.kind?.userFields.contains(field) == true)
        }.sorted().map { field in
            let value = values[field]!
            let label =
                field.hasSuffix("_id")
                ? String(field.dropLast(3)) : field == "display_name" ? "name" : field == "recorded_by_name" ? "recorded by" : field
            return Line(
                field: label.replacingOccurrences(of: "_", with: " "),
                before: value.before.map { Self.shown($0, field: field, reading) },
                after: value.after.map { Self.shown($0, field: field, reading) }
            )
        }
    }

    /// `phone: +44 20 7946 0018 → +44 20 0000 1111; notes: Call first`.
    package func text(_ reading: Reading) -> String {
        lines(reading).map { line in
            switch (line.before, line.after) {
            case (nil, let after?): "\(line.field): \(after)"
            case (let before?, nil): "\(line.field): \(before) → (none)"
            case (let before?, let after?): "\(line.field): \(before) → \(after)"
            case (nil, nil): line.field
            }
        }.joined(separator: "; ")
    }

    private static func shown(_ value: String, field: String, _ reading: Reading) -> String {
        let tenant = reading.tenant
        if let kind = reading.kind {
            if kind.moneyFields.contains(field), let amount = Int64(value) { return Money.format(amount, currency: tenant.definition.currency) }
            if kind.userFields.contains(field), let id = Int64(value) { return reading.userNames[id] ?? "user \(id)" }
            if kind.flagFields.contains(field) { return value == "1" ? "yes" : value == "0" ? "no" : value }
        }
        switch field {
        case "branch": return tenant.branchName(value)
        case "branches":
            guard let codes = try? JSONDecoder().decode([String].self, from: Data(value.utf8)) else { return value }
            return codes.isEmpty ? "every branch" : codes.map(tenant.branchName).joined(separator: ", ")
        case "status", "role", "sex": return value.replacingOccurrences(of: "_", with: " ")
        case "sha256" where !reading.wholeDigests: return String(value.prefix(12)) + "…"
        default:
            switch value {
            case "true": return "yes"
            case "false": return "no"
            default:
                if value.utf8.count == 10, let date = CalendarDate(value) { return ReadableTime.day(date) }  // a date of birth, an expiry
                return tenant.readableTime.moment(value)
            }
        }
    }
}
