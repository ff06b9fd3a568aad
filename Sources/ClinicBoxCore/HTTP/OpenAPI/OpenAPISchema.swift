/// A JSON Schema (as OpenAPI 3.1 uses it), small enough to write by hand next to the code it describes.
public indirect enum OpenAPISchema: Encodable, Sendable {
    case string(
        format: String? = nil,
        values: [String]? = nil,
        nullable: Bool = false,
        description: String? = nil,
        maxLength: Int? = nil,
        pattern: String? = nil
    )
    case integer(nullable: Bool = false, description: String? = nil, minimum: Int64? = nil, maximum: Int64? = nil)
    /// A number with decimals (a measurement), with its range.
    case number(nullable: Bool = false, description: String? = nil, minimum: Double? = nil, maximum: Double? = nil)
    case boolean
    case array(OpenAPISchema)
    case object([String: OpenAPISchema], required: [String] = [])
    case ref(String)
    /// An object whose keys depend on the data (a report row).
    case freeForm

    package static let text = OpenAPISchema.string()
    package static let optionalText = OpenAPISchema.string(nullable: true)
    package static let date = OpenAPISchema.string(format: "date")
    package static let optionalDate = OpenAPISchema.string(format: "date", nullable: true)
    package static let timestamp = OpenAPISchema.string(format: "date-time")
    package static let id = OpenAPISchema.integer(minimum: 1)
    package static let optionalID = OpenAPISchema.integer(nullable: true, minimum: 1)
    package static let money = OpenAPISchema.integer(description: "minor units of the tenant's currency (cents)")
    package static let version = OpenAPISchema.integer(description: "send it back with an update; a stale one is a 409")

    package static func choice(_ values: [String], nullable: Bool = false) -> OpenAPISchema { .string(values: values, nullable: nullable) }

    private enum Key: String, CodingKey {
        case type, format, `enum`, description, items, properties, required
        case ref = "$ref"
        case additionalProperties, maxLength, minimum, maximum, pattern
    }

    /// The longest text the server takes in a request field of this name, where it is not 200 (`RequestFields.text`)
    /// and the schema does not say (fields described by `RecordFields` carry their own).
    package static let requestTextLengths: [String: Int] = [
        "batch_number": 64, "email": 254, "prescription_reference": 100, "reason": 500, "reference": 100, "sku": 64, "strength": 50, "notes": 2000,
    ]

    /// A request body's schema: text fields state their length limit, and a required one must hold more than
    /// spaces (the server trims text, and an empty required field is refused). Passwords are taken as typed.
    package var forRequest: OpenAPISchema {
        switch self {
        case .object(let properties, let required):
            var changed = properties.mapValues(\.forRequest)
            for (name, property) in properties where name != "password" {
                guard case .string(nil, nil, let nullable, let description, let maxLength, let pattern) = property else { continue }
                changed[name] = .string(
                    format: nil,
                    values: nil,
                    nullable: nullable,
                    description: description,
                    maxLength: maxLength ?? Self.requestTextLengths[name] ?? 200,
                    pattern: pattern ?? (required.contains(name) ? "\\S" : nil)
                )
            }
            return .object(changed, required: required)
        case .array(let items): return .array(items.forRequest)
        default: return self
        }
    }

    /// The same schema, as a query parameter: text at most `ListQuery.maximumLength` characters unless it says less.
    package var asQueryParameter: OpenAPISchema {
        if case .string(let format, let values, let nullable, let description, let maxLength, let pattern) = self {
            return .string(
                format: format,
                values: values,
                nullable: nullable,
                description: description,
                maxLength: maxLength ?? ListQuery.maximumLength,
                pattern: pattern
            )
        }
        return self
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        switch self {
        case .string(let format, let values, let nullable, let description, let maxLength, let pattern):
            try container.encode(nullable ? ["string", "null"] : ["string"], forKey: .type)
            try container.encodeIfPresent(pattern, forKey: .pattern)
            try container.encodeIfPresent(format, forKey: .format)
            // A nullable choice lists JSON null among its values, not the text "null".
            try container.encodeIfPresent(values.map { $0.map(Optional.some) + (nullable ? [String?.none] : []) }, forKey: .enum)
            try container.encodeIfPresent(description, forKey: .description)
            try container.encodeIfPresent(maxLength, forKey: .maxLength)
        case .integer(let nullable, let description, let minimum, let maximum):
            try container.encode(nullable ? ["integer", "null"] : ["integer"], forKey: .type)
            try container.encodeIfPresent(description, forKey: .description)
            try container.encodeIfPresent(minimum, forKey: .minimum)
            try container.encodeIfPresent(maximum, forKey: .maximum)
        case .number(let nullable, let description, let minimum, let maximum):
            try container.encode(nullable ? ["number", "null"] : ["number"], forKey: .type)
            try container.encodeIfPresent(description, forKey: .description)
            try container.encodeIfPresent(minimum, forKey: .minimum)
            try container.encodeIfPresent(maximum, forKey: .maximum)
        case .boolean:
            try container.encode("boolean", forKey: .type)
        case .array(let items):
            try container.encode("array", forKey: .type)
            try container.encode(items, forKey: .items)
        case .object(let properties, let required):
            try container.encode("object", forKey: .type)
            try container.encode(properties, forKey: .properties)
            if !required.isEmpty { try container.encode(required, forKey: .required) }
            try container.encode(false, forKey: .additionalProperties)
        case .ref(let name):
            try container.encode("#/components/schemas/\(name)", forKey: .ref)
        case .freeForm:
            try container.encode("object", forKey: .type)
        }
    }
}

/// One documented operation of the HTTP API.
public struct APIOperation: Sendable {
    public enum Body: Sendable {
        case json(OpenAPISchema)
        case csvOrJSON(OpenAPISchema)
        case text(String)
        /// A file, in one of these media types (a document download).
        case file([String])
        case none
    }

    public var method: String
    /// OpenAPI form, e.g. `/api/v1/patients/{id}`.
    public var path: String
    package var summary: String
    /// The permission action it needs, if any (checked by the router, shown in the description).
    package var action: PermissionAction? = nil
    package var query: [String: (OpenAPISchema, String)] = [:]
    package var request: OpenAPISchema? = nil
    /// How the request body is sent: JSON, or `multipart/form-data` for an upload.
    package var requestType = "application/json"
    package var status = 200
    package var response: Body = .none
    package var idempotent = false
    /// Answered without credentials (`security: []` in the document; every other operation needs a bearer token).
    package var isPublic = false
    /// Who the handler lets in, for an operation with no `action` (`system administrators`), shown by `clinicbox routes`.
    package var callers: String? = nil

    /// The same operation, answered to anyone.
    var open: APIOperation {
        var operation = self
        operation.isPublic = true
        operation.callers = "anyone"
        return operation
    }

    /// The same operation, saying who its handler lets in.
    package func allowing(_ callers: String) -> APIOperation {
        var operation = self
        operation.callers = callers
        return operation
    }

    /// What `clinicbox routes` shows in its action column: the action, else who the handler lets in, in brackets.
    package var access: String { action?.name ?? callers.map { "(\($0))" } ?? "-" }

    package static func get(
        _ path: String,
        _ summary: String,
        action: PermissionAction? = nil,
        query: [String: (OpenAPISchema, String)] = [:],
        response: Body
    ) -> APIOperation {
        APIOperation(method: "get", path: path, summary: summary, action: action, query: query, response: response)
    }

    package static func post(
        _ path: String,
        _ summary: String,
        action: PermissionAction? = nil,
        request: OpenAPISchema?,
        status: Int = 201,
        response: Body,
        idempotent: Bool = true
    ) -> APIOperation {
        APIOperation(
            method: "post",
            path: path,
            summary: summary,
            action: action,
            request: request,
            status: status,
            response: response,
            idempotent: idempotent
        )
    }

    package static func patch(
        _ path: String,
        _ summary: String,
        action: PermissionAction? = nil,
        request: OpenAPISchema,
        response: Body
    ) -> APIOperation {
        APIOperation(method: "patch", path: path, summary: summary, action: action, request: request, response: response)
    }

    package static func put(
        _ path: String,
        _ summary: String,
        action: PermissionAction? = nil,
        request: OpenAPISchema? = nil,
        response: Body
    ) -> APIOperation {
        APIOperation(method: "put", path: path, summary: summary, action: action, request: request, response: response)
    }

    package static func delete(_ path: String, _ summary: String, action: PermissionAction? = nil) -> APIOperation {
        APIOperation(method: "delete", path: path, summary: summary, action: action, status: 204)
    }

    /// The query parameters every list takes.
    package static let paging: [String: (OpenAPISchema, String)] = [
        "limit": (.integer(minimum: 1, maximum: Int64(ListPage.maximumLimit)), "default 50"),
        "cursor": (.text, "next_cursor of the previous page"),
    ]

    package static func paging(_ sorting: ListPage.Sorting, _ extra: [String: (OpenAPISchema, String)]...) -> [String: (OpenAPISchema, String)] {
        let sort = (OpenAPISchema.choice(sorting.orders), "prefix - for descending; default \(sorting.defaultOrder)")
        return extra.reduce(paging.merging(["sort": sort]) { $1 }) { $0.merging($1) { $1 } }
    }
}

extension OpenAPISchema {
    /// `{"items": [...], "next_cursor": ...}`, the shape of every paged list.
    package static func page(of item: String) -> OpenAPISchema {
        .object(
            [
                "items": .array(.ref(item)),
                "next_cursor": .string(nullable: true, description: "pass as cursor= for the next page; null on the last"),
            ],
            required: ["items", "next_cursor"]
        )
    }
}
