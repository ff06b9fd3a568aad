import Foundation
import Hummingbird

/// A list endpoint's query parameters, read the same way in every module: only the documented ones, each at most
/// once, text at most `maximumLength` characters, ids as numbers, choices from their list, branches that exist.
/// Every problem is collected, and `finish()` answers them all in one `400` with field messages — a filter that
/// cannot be read is never silently dropped (that would list everything).
struct ListQuery {
    static let maximumLength = 200

    private var values: [String: String] = [:]
    private(set) var errors: [String: String] = [:]

    /// Reads `request`'s query, refusing every parameter its endpoint does not declare (the paging ones included,
    /// when the endpoint declares them): the declaration that documents them is the one that decides.
    init(_ request: Request) {
        let allowed = DeclaredQuery.parameters
        var seen: [String: Int] = [:]
        for (name, value) in request.uri.queryParameters {
            let name = String(name)
            seen[name, default: 0] += 1
            guard allowed.contains(name) else {
                errors[name] = "is not a parameter of this list\(DidYouMean.hint(for: name, among: allowed)); it takes \(allowed.sorted().joined(separator: ", "))"
                continue
            }
            if seen[name]! > 1 { errors[name] = "must be given once" }
            values[name] = String(value)
        }
    }

    /// Text, trimmed; nil when absent or empty.
    mutating func text(_ name: String) -> String? {
        guard let value = values[name]?.trimmingSpaces, !value.isEmpty else { return nil }
        return value
    }

    /// A record id.
    mutating func id(_ name: String) -> Int64? {
        guard let raw = values[name] else { return nil }
        guard let id = Int64(raw), id > 0 else { return fail(name, "must be a record id (a whole number from 1)") }
        return id
    }

    /// A whole number in `range`.
    mutating func integer(_ name: String, in range: ClosedRange<Int>) -> Int? {
        guard let raw = values[name] else { return nil }
        guard let number = Int(raw), range.contains(number) else { return fail(name, "must be a whole number from \(range.lowerBound) to \(range.upperBound)") }
        return number
    }

    /// `true` or `false`.
    mutating func bool(_ name: String) -> Bool? {
        guard let raw = values[name] else { return nil }
        guard let value = Bool(raw) else { return fail(name, "must be true or false") }
        return value
    }

    /// One of `choices`.
    mutating func choice(_ name: String, _ choices: [String]) -> String? {
        guard let raw = values[name] else { return nil }
        guard choices.contains(raw) else { return fail(name, "must be one of \(choices.joined(separator: ", "))") }
        return raw
    }

    /// A calendar date, `YYYY-MM-DD`.
    mutating func date(_ name: String) -> CalendarDate? {
        guard let raw = values[name] else { return nil }
        guard let date = CalendarDate(raw) else { return fail(name, "must be a date written YYYY-MM-DD") }
        return date
    }

    /// A moment as ISO 8601 (`2026-12-01T09:30:00Z`, with or without fractions), or a date (its start).
    mutating func timestamp(_ name: String) -> String? {
        guard let raw = values[name] else { return nil }
        if CalendarDate(raw) != nil { return raw }
        let plain = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard plain.date(from: raw) != nil || fractional.date(from: raw) != nil else {
            return fail(name, "must be a date (YYYY-MM-DD) or a moment like 2026-12-01T09:30:00Z")
        }
        return raw
    }

    mutating func fail<T>(_ name: String, _ message: String) -> T? {
        if errors[name] == nil { errors[name] = message }
        return nil
    }

    /// Throws the `400` with every collected message, if there is any.
    func finish() throws {
        guard !errors.isEmpty else { return }
        throw Problem(.badRequest, title: "Invalid list parameters", detail: "Check \(errors.keys.sorted().joined(separator: ", ")).", fieldErrors: errors)
    }

    /// Every parameter of every tenant route at most `maximumLength` characters: a longer search is a `400` naming
    /// it, never a storage error (SQLite refuses `LIKE` patterns past 50,000 bytes). `cursor` is ours and short.
    static func refuseLongValues(_ request: Request) throws {
        var errors: [String: String] = [:]
        for (name, value) in request.uri.queryParameters where value.count > maximumLength || name.count > maximumLength {
            errors[TenantResolver.printable(String(name))] = "must be at most \(maximumLength) characters"
        }
        guard !errors.isEmpty else { return }
        throw Problem(.badRequest, title: "Parameter too long", detail: "Check \(errors.keys.sorted().joined(separator: ", ")).", fieldErrors: errors)
    }
}
