import Foundation

/// An audit row's `changes` (`{"phone": {"before": "…", "after": "…"}}`) as a person reads them: the fields people
/// know, each `before → after`, with stored timestamps in the tenant's time. Columns kept only for search, sorting
/// or the API (`sort_name`, `phone_digits`, `api_json`) are left out; the raw JSON stays in the API and its CSV.
struct AuditChanges: Sendable {
    struct Line: Sendable {
        var field: String
        var before: String?
        var after: String?
    }

    /// Columns that are derived from the ones shown, or bookkeeping.
    static let internalFields: Set<String> = ["sort_name", "phone_digits", "phone_e164", "api_json", "version", "created_at", "updated_at", "token_hash", "password_hash"]

    let lines: [Line]

    init(json: String?, time: ReadableTime) {
        guard let data = json?.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            lines = []
            return
        }
        func shown(_ value: Any?) -> String? {
            switch value {
            case let text as String: time.moment(text)
            case let number as NSNumber: number.stringValue
            default: nil
            }
        }
        lines = object.keys.filter { !Self.internalFields.contains($0) }.sorted().map { field in
            let change = object[field] as? [String: Any] ?? [:]
            return Line(field: field.replacingOccurrences(of: "_", with: " "), before: shown(change["before"]), after: shown(change["after"]))
        }
    }

    /// `phone: +44 20 7946 0018 → +44 20 0000 1111; notes: (none) → Call first`.
    var text: String {
        lines.map { line in
            switch (line.before, line.after) {
            case (nil, let after?): "\(line.field): \(after)"
            case (let before?, nil): "\(line.field): \(before) → (none)"
            case (let before?, let after?): "\(line.field): \(before) → \(after)"
            case (nil, nil): line.field
            }
        }.joined(separator: "; ")
    }
}
