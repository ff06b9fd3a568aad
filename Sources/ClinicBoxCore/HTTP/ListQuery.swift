import Foundation
import Hummingbird

/// A list endpoint's query parameters, read the same way in every module: only the documented ones, each at most
/// once, text at most `maximumLength` characters, and each value checked against the schema its endpoint
/// declares (ids and numbers in range, choices from their list, dates and moments as ISO 8601). Every problem is
/// collected, and `finish()` answers them all in one `400` with field messages — a filter that cannot be read is
/// never silently dropped (that would list everything). Handlers then only take the values out.
package struct ListQuery {
    package static let maximumLength = 200

    private var values: [String: String] = [:]
    package private(set) var errors: [String: String] = [:]

    /// Reads `request`'s query, refusing every parameter its endpoint does not declare (the paging ones included,
    /// when the endpoint declares them): the declaration that documents them is the one that decides.
    package init(_ request: Request) {
        let declared = DeclaredQuery.parameters
        var seen: [String: Int] = [:]
        for (name, value) in request.uri.queryParameters {
            let name = String(name)
            let value = String(value)
            seen[name, default: 0] += 1
            guard let schema = declared[name] else {
                let allowed = Set(declared.keys)
                errors[name] =
                    "is not a parameter of this list\(DidYouMean.hint(for: name, among: allowed)); it takes \(allowed.sorted().joined(separator: ", "))"
                continue
            }
            if seen[name]! > 1 { errors[name] = "must be given once" }
            if let problem = Self.problem(with: value, for: schema) { errors[name] = errors[name] ?? problem }
            values[name] = value
        }
    }

    /// What is wrong with `value` as `schema` says it should be, or nil.
    private static func problem(with value: String, for schema: OpenAPISchema) -> String? {
        switch schema {
        case .integer(_, _, let minimum, let maximum):
            let (low, high) = (minimum ?? Int64.min, maximum ?? Int64.max)
            if let number = Int64(value), (low...high).contains(number) { return nil }
            if minimum == 1 && maximum == nil { return "must be a record id (a whole number from 1)" }
            if let minimum, let maximum { return "must be a whole number from \(minimum) to \(maximum)" }
            return "must be a whole number"
        case .boolean:
            return Bool(value) == nil ? "must be true or false" : nil
        case .string(let format, let choices, _, _, _, _):
            if let choices, !choices.contains(value) { return "must be one of \(choices.joined(separator: ", "))" }
            switch format {
            case "date": return CalendarDate(value) == nil ? "must be a date written YYYY-MM-DD" : nil
            case "date-time": return isMoment(value) ? nil : "must be a date (YYYY-MM-DD) or a moment like 2026-12-01T09:30:00Z"
            default: return nil
            }
        default:
            return nil
        }
    }

    private static let moment = Date.ISO8601FormatStyle()
    private static let fractionalMoment = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// A date (its start) or an ISO 8601 moment, with or without fractions of a second.
    private static func isMoment(_ text: String) -> Bool {
        CalendarDate(text) != nil || (try? moment.parse(text)) != nil || (try? fractionalMoment.parse(text)) != nil
    }

    // MARK: The values, already checked against their declaration: nil when absent (or wrong, which `finish` reports).

    /// Text, trimmed; nil when absent or empty.
    package func text(_ name: String) -> String? {
        guard let value = values[name]?.trimmingSpaces, !value.isEmpty else { return nil }
        return value
    }

    /// A record id, or any whole number the endpoint declares.
    package func id(_ name: String) -> Int64? { values[name].flatMap { Int64($0) } }

    package func integer(_ name: String) -> Int? { values[name].flatMap { Int($0) } }

    package func bool(_ name: String) -> Bool? { values[name].flatMap { Bool($0) } }

    /// One of the declared choices.
    package func choice(_ name: String) -> String? { values[name] }

    package func date(_ name: String) -> CalendarDate? { values[name].flatMap(CalendarDate.init) }

    /// A moment as ISO 8601, or a date, as given.
    package func timestamp(_ name: String) -> String? { values[name] }

    package mutating func fail<T>(_ name: String, _ message: String) -> T? {
        if errors[name] == nil { errors[name] = message }
        return nil
    }

    /// Throws the `400` with every collected message, if there is any.
    package func finish() throws {
        guard !errors.isEmpty else { return }
        throw Problem(
            .badRequest,
            title: "Invalid list parameters",
            detail: "Check \(errors.keys.sorted().joined(separator: ", ")).",
            fieldErrors: errors
        )
    }

    /// Every parameter of every tenant route at most `maximumLength` characters: a longer search is a `400` naming
    /// it, never a storage error (SQLite refuses `LIKE` patterns past 50,000 bytes). `cursor` is ours and short.
    package static func refuseLongValues(_ request: Request) throws {
        var errors: [String: String] = [:]
        for (name, value) in request.uri.queryParameters where value.count > maximumLength || name.count > maximumLength {
            errors[TenantResolver.printable(String(name))] = "must be at most \(maximumLength) characters"
        }
        guard !errors.isEmpty else { return }
        throw Problem(.badRequest, title: "Parameter too long", detail: "Check \(errors.keys.sorted().joined(separator: ", ")).", fieldErrors: errors)
    }
}
