import Foundation
import Hummingbird

/// The fields of a JSON request body, read strictly: unknown fields are refused, and every field's problem is
/// collected so one `422` answer lists them all (`{"errors": {"date_of_birth": "must be a date in the past"}}`).
package struct RequestFields {
    private let object: [String: JSONValue]
    /// Field → message, for the `422` answer.
    package private(set) var errors: [String: String] = [:]
    /// A prefix for nested fields (`items[2].quantity`).
    private let path: String

    package init(object: [String: JSONValue], path: String = "") {
        self.object = object
        self.path = path
    }

    /// Reads the body of `request` as a JSON object with only `allowed` fields. Only `application/json` is read: a
    /// browser form or `text/plain` could otherwise be posted to the API from another site without a preflight.
    package static func read(_ request: Request, allowed: Set<String>) async throws -> RequestFields {
        guard Self.isJSON(request.headers[.contentType]) else {
            throw Problem(
                .unsupportedMediaType,
                title: "Unsupported media type",
                detail:
                    "Send the body as JSON with Content-Type: application/json\(request.headers[.contentType].map { "; this request sent \(TenantResolver.printable(String($0.prefix(60))))" } ?? "; this request sent none")."
            )
        }
        return try parse(try await request.body.collect(upTo: 256 * 1024), allowed: allowed)
    }

    /// `application/json`, with or without parameters (`; charset=utf-8`), in any letter case.
    /// As `read`, but an empty body is no fields (`POST …/sign` needs none), whatever its content type says.
    package static func readIfSent(_ request: Request, allowed: Set<String>) async throws -> RequestFields {
        let body = try await request.body.collect(upTo: 256 * 1024)
        guard body.readableBytes > 0 else { return RequestFields(object: [:]) }
        guard isJSON(request.headers[.contentType]) else {
            throw Problem(
                .unsupportedMediaType,
                title: "Unsupported media type",
                detail: "Send the body as JSON with Content-Type: application/json, or send no body."
            )
        }
        return try parse(body, allowed: allowed)
    }

    package static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let type = contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        return type == "application/json"
    }

    package static func parse(_ buffer: ByteBuffer, allowed: Set<String>) throws -> RequestFields {
        let value: JSONValue
        do {
            value = try StrictJSON.parse(Array(buffer: buffer))
        } catch {
            throw Problem(.badRequest, title: "Invalid JSON", detail: "The body is not valid JSON: \(error.description).")
        }
        guard case .object(let object) = value else {
            throw Problem(.badRequest, title: "Invalid JSON", detail: "The body must be a JSON object.")
        }
        let fields = RequestFields(object: object)
        try fields.refuseUnknown(allowed: allowed)
        return fields
    }

    /// The body in canonical form, which `Idempotency-Key` retries are compared by.
    package var canonical: Data {
        JSONValue.object(object).canonical
    }

    package func refuseUnknown(allowed: Set<String>) throws {
        let unknown = Set(object.keys).subtracting(allowed)
        guard !unknown.isEmpty else { return }
        throw Problem(
            .unprocessableContent,
            title: "Unknown fields",
            detail: "Allowed fields: \(allowed.sorted().joined(separator: ", ")).",
            fieldErrors: Dictionary(uniqueKeysWithValues: unknown.map { (path + $0, "unknown field\(DidYouMean.hint(for: $0, among: allowed))") })
        )
    }

    /// True when the body names `name` (even as null): a PATCH changes only the fields it names.
    package func has(_ name: String) -> Bool { object[name] != nil }

    package mutating func fail(_ name: String, _ message: String) {
        if errors[path + name] == nil { errors[path + name] = message }
    }

    /// Throws the `422` with every collected message, if there is any.
    package func finish() throws {
        guard !errors.isEmpty else { return }
        throw Problem.invalid(errors)
    }

    package mutating func merge(_ other: RequestFields) {
        errors.merge(other.errors) { first, _ in first }
    }

    // MARK: Typed fields. Each returns nil (and records a message) when the value is missing or wrong.

    /// Text, trimmed; an empty or absent value is nil, and an error only when `required`.
    package mutating func text(_ name: String, required: Bool = false, maxLength: Int = 200) -> String? {
        switch object[name] {
        case nil, .null:
            if required { fail(name, "is required") }
            return nil
        case .string(let raw):
            let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if value.isEmpty {
                if required { fail(name, "must not be empty") }
                return nil
            }
            if value.count > maxLength { fail(name, "must be at most \(maxLength) characters") }
            if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" }) {
                fail(name, "must not contain control characters")
            }
            return value
        case let other?:
            fail(name, "must be a string, not \(other.kind)")
            return nil
        }
    }

    /// The name of a medicine, substance or product: text the allergy check can read, so no invisible characters
    /// and no word mixing alphabets (`SubstanceName`).
    package mutating func substanceName(_ name: String, required: Bool = false, maxLength: Int = 200) -> String? {
        guard let value = text(name, required: required, maxLength: maxLength) else { return nil }
        if errors[name] == nil, let problem = SubstanceName.problem(value) { fail(name, problem) }
        return value
    }

    /// A required password, exactly as typed: never trimmed, since spaces may be part of it.
    package mutating func secret(_ name: String) -> String? {
        switch object[name] {
        case .string(let value) where !value.isEmpty:
            return value
        case nil, .null, .string:
            fail(name, "is required")
        case let other?:
            fail(name, "must be a string, not \(other.kind)")
        }
        return nil
    }

    /// One of `allowed`.
    package mutating func choice(_ name: String, _ allowed: [String], required: Bool = false) -> String? {
        guard let value = text(name, required: required) else { return nil }
        guard allowed.contains(value) else {
            fail(name, "must be one of \(allowed.joined(separator: ", "))")
            return nil
        }
        return value
    }

    /// A whole number in `range`.
    package mutating func integer(_ name: String, in range: ClosedRange<Int64>, required: Bool = false) -> Int64? {
        switch object[name] {
        case nil, .null:
            if required { fail(name, "is required") }
            return nil
        case .integer(let value):
            guard range.contains(value) else {
                fail(name, "must be between \(range.lowerBound) and \(range.upperBound)")
                return nil
            }
            return value
        case let other?:
            fail(name, "must be a whole number, not \(other.kind)")
            return nil
        }
    }

    package mutating func bool(_ name: String, required: Bool = false) -> Bool? {
        switch object[name] {
        case nil, .null:
            if required { fail(name, "is required") }
            return nil
        case .bool(let value):
            return value
        case let other?:
            fail(name, "must be true or false, not \(other.kind)")
            return nil
        }
    }

    /// A calendar date written `YYYY-MM-DD`.
    package mutating func date(_ name: String, required: Bool = false) -> CalendarDate? {
        // An empty text is no date: send null (or leave the field out) for none.
        if case .string(let raw)? = object[name], raw.trimmingCharacters(in: .whitespaces).isEmpty {
            fail(name, "must be a date written YYYY-MM-DD, or null for none")
            return nil
        }
        guard let text = text(name, required: required) else { return nil }
        guard let date = CalendarDate(text) else {
            fail(name, "must be a date written YYYY-MM-DD")
            return nil
        }
        return date
    }

    /// One nested object read by `item` with its own allowed fields; messages are named `outside_prescriber.name`.
    package mutating func object<T>(_ name: String, allowed: Set<String>, item: (inout RequestFields) -> T?) -> T? {
        guard case .object(let fields)? = object[name] else {
            if object[name] != nil, object[name] != .null { fail(name, "must be an object") }
            return nil
        }
        var nested = RequestFields(object: fields, path: "\(path)\(name).")
        do { try nested.refuseUnknown(allowed: allowed) } catch let problem as Problem {
            errors.merge(problem.fieldErrors) { first, _ in first }
        } catch {}
        let result = item(&nested)
        merge(nested)
        return result
    }

    /// A list of objects, each read by `item` with its own allowed fields; messages are named `items[0].quantity`.
    package mutating func objects<T>(
        _ name: String,
        allowed: Set<String>,
        maxCount: Int = 100,
        item: (inout RequestFields) -> T?
    ) -> [T]? {
        guard case .array(let values)? = object[name] else {
            fail(name, object[name] == nil ? "is required" : "must be a list of objects")
            return nil
        }
        guard !values.isEmpty, values.count <= maxCount else {
            fail(name, "must hold between 1 and \(maxCount) entries")
            return nil
        }
        var results: [T] = []
        for (index, value) in values.enumerated() {
            guard case .object(let fields) = value else {
                fail("\(name)[\(index)]", "must be an object")
                continue
            }
            var nested = RequestFields(object: fields, path: "\(path)\(name)[\(index)].")
            do { try nested.refuseUnknown(allowed: allowed) } catch let problem as Problem {
                errors.merge(problem.fieldErrors) { first, _ in first }
            } catch {}
            if let result = item(&nested) { results.append(result) }
            merge(nested)
        }
        return results
    }
}

extension RequestFields {
    /// A branch code of `tenant` (from its YAML `branches:`).
    package mutating func branch(_ name: String, of tenant: Tenant, required: Bool = true) -> String? {
        let codes = tenant.definition.branches.map(\.code)
        guard let code = text(name, required: required) else { return nil }
        guard codes.contains(code) else {
            fail(
                name,
                codes.isEmpty
                    ? "no branches are defined; add branches: to the tenant's YAML"
                    : "must be one of this tenant's branches: \(codes.joined(separator: ", "))"
            )
            return nil
        }
        return code
    }

    /// A measurement in `unit` within `range`; out of range, the message says the value and the range
    /// (`57 °C is outside 25–45 °C`).
    package mutating func measurement(_ name: String, in range: ClosedRange<Double>, unit: String) -> Double? {
        let value: Double
        switch object[name] {
        case nil, .null: return nil
        case .integer(let number): value = Double(number)
        case .number(let number): value = number
        case let other?:
            fail(name, "must be a number (\(unit)), not \(other.kind)")
            return nil
        }
        guard range.contains(value) else {
            fail(name, "\(Self.plain(value)) \(unit) is outside \(Self.plain(range.lowerBound))–\(Self.plain(range.upperBound)) \(unit)")
            return nil
        }
        return value
    }

    /// Amounts by name (`{"cash": 12050, "card": 0}`), each in minor units and never negative, only `names`.
    package mutating func amounts(_ name: String, names: [String]) -> [String: Int64]? {
        guard case .object(let values)? = object[name] else {
            fail(name, "must be an object of amounts by \(names.joined(separator: ", ")), e.g. {\"\(names[0])\": 12050}")
            return nil
        }
        var amounts: [String: Int64] = [:]
        for (key, value) in values.sorted(by: { $0.key < $1.key }) {
            guard names.contains(key) else {
                fail("\(name).\(key)", "is not one of \(names.joined(separator: ", "))")
                continue
            }
            guard case .integer(let amount) = value, (0...1_000_000_000_000).contains(amount) else {
                fail("\(name).\(key)", "must be an amount in minor units, 0 or more")
                continue
            }
            amounts[key] = amount
        }
        return amounts
    }

    /// A list of different record ids (`[3, 5]`), at least one.
    package mutating func ids(_ name: String, maxCount: Int = 200) -> [Int64]? {
        let values: [JSONValue] = if case .array(let values)? = object[name] { values } else { [] }
        let ids = values.compactMap { value -> Int64? in if case .integer(let id) = value, id > 0 { id } else { nil } }
        guard !ids.isEmpty, ids.count == values.count, ids.count <= maxCount, Set(ids).count == ids.count else {
            fail(name, "must be a list of 1 to \(maxCount) different record ids, e.g. [3, 5]")
            return nil
        }
        return ids
    }

    /// A list of short texts (`["appointments.read"]`), possibly empty; nil when it is not sent or not such a list.
    package mutating func texts(_ name: String, maxCount: Int, maxLength: Int = 100) -> [String]? {
        guard let value = object[name] else { return nil }
        let values: [JSONValue] = if case .array(let values) = value { values } else { [] }
        let texts = values.compactMap { value -> String? in if case .string(let text) = value { text.trimmingSpaces } else { nil } }
        guard case .array = value, texts.count == values.count, texts.count <= maxCount, texts.allSatisfy({ (1...maxLength).contains($0.count) })
        else {
            fail(name, "must be a list of at most \(maxCount) texts of 1 to \(maxLength) characters")
            return nil
        }
        return texts
    }

    /// True when `name` is sent as an empty list (`"diagnoses": []`: none, where `objects` wants at least one).
    package func isEmptyList(_ name: String) -> Bool { object[name] == .array([]) }

    /// `37.5`, `57` (no `.0`).
    package static func plain(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }

    /// An amount of money in minor units of the tenant's currency (cents): a whole number, never negative.
    package mutating func money(_ name: String, required: Bool = false) -> Int64? {
        integer(name, in: 0...1_000_000_000_000, required: required)
    }
}
