import GRDB

/// One field of a record that people write, described once: its column (and JSON name), its kind and limits,
/// and its label. The request reader, the row reader, the stored JSON, the OpenAPI schema and the page's form
/// all derive from `RecordFields`, so adding a field is one line plus a migration step.
package struct RecordField: Sendable {
    package enum Kind: Sendable {
        /// Trimmed text; `lines` allows line breaks (and a text area on pages); `input` is the HTML input type.
        case text(maxLength: Int, lines: Bool, input: String)
        case date
        case choice([String])
        case boolean(default: Bool)
        case integer(ClosedRange<Int64>, default: Int64)
        /// A reading in `unit`, refused outside `range` (a typing slip far more often than a patient); `whole` ones
        /// (counted, or read off a scale in whole units) refuse a fraction, the others keep one decimal.
        case measurement(ClosedRange<Double>, unit: String, whole: Bool)
        /// An amount in minor units of the tenant's currency, never negative: a whole number in the API, typed as
        /// the currency is written (`12.50`) on pages.
        case money
        /// A field whose rules are its record's own (an FDI tooth, a procedure from the tenant file, a fee that a
        /// procedure fills in): described here for the JSON, the OpenAPI document and the allowed names, read and
        /// checked by the record's code.
        case ruled(OpenAPISchema)
    }

    package var name: String
    package var label: String
    package var kind: Kind
    /// A required field cannot be empty; optional ones are `null` when empty.
    package var isRequired = false
    /// Text that names a medicine or substance, read as `RequestFields.substanceName` reads it.
    package var namesSubstance = false
    /// What the OpenAPI document says of it beyond its type, where the label is not enough.
    package var description: String? = nil

    package static func text(
        _ name: String,
        _ label: String,
        maxLength: Int = 200,
        required: Bool = false,
        lines: Bool = false,
        input: String = "text",
        description: String? = nil
    ) -> RecordField {
        RecordField(
            name: name,
            label: label,
            kind: .text(maxLength: maxLength, lines: lines, input: input),
            isRequired: required,
            description: description
        )
    }

    /// The name of a medicine, substance or product, which the allergy check reads (`SubstanceName`).
    package static func substanceName(_ name: String, _ label: String, required: Bool = false) -> RecordField {
        RecordField(name: name, label: label, kind: .text(maxLength: 200, lines: false, input: "text"), isRequired: required, namesSubstance: true)
    }

    package static func date(_ name: String, _ label: String) -> RecordField {
        RecordField(name: name, label: label, kind: .date)
    }

    package static func choice(_ name: String, _ label: String, _ values: [String]) -> RecordField {
        RecordField(name: name, label: label, kind: .choice(values))
    }

    package static func boolean(_ name: String, _ label: String, default value: Bool) -> RecordField {
        RecordField(name: name, label: label, kind: .boolean(default: value))
    }

    package static func integer(_ name: String, _ label: String, in range: ClosedRange<Int64>, default value: Int64) -> RecordField {
        RecordField(name: name, label: label, kind: .integer(range, default: value))
    }

    package static func measurement(_ name: String, _ label: String, _ range: ClosedRange<Double>, unit: String, whole: Bool) -> RecordField {
        RecordField(name: name, label: label, kind: .measurement(range, unit: unit, whole: whole))
    }

    package static func money(_ name: String, _ label: String, required: Bool = false) -> RecordField {
        RecordField(name: name, label: label, kind: .money, isRequired: required)
    }

    package static func ruled(_ name: String, _ label: String, _ schema: OpenAPISchema) -> RecordField {
        RecordField(name: name, label: label, kind: .ruled(schema))
    }

    /// The value of a new record before a request names the field.
    package var initialValue: DatabaseValue {
        switch kind {
        case .boolean(let value): value.databaseValue
        case .integer(_, let value): value.databaseValue
        case .text where isRequired: "".databaseValue
        default: .null
        }
    }

    /// Reads the field from `request` (which names it), recording a message when it is wrong.
    package func read(_ request: inout RequestFields) -> DatabaseValue? {
        switch kind {
        case .text(let maxLength, _, _):
            let value =
                namesSubstance
                ? request.substanceName(name, required: isRequired, maxLength: maxLength)
                : request.text(name, required: isRequired, maxLength: maxLength)
            return isRequired && value == nil ? nil : value.databaseValue
        case .date: return request.date(name).map(\.description).databaseValue
        case .choice(let values): return request.choice(name, values).databaseValue
        case .boolean: return request.bool(name, required: true)?.databaseValue
        case .integer(let range, _): return request.integer(name, in: range, required: true)?.databaseValue
        case .measurement(let range, let unit, let whole):
            guard let value = request.measurement(name, in: range, unit: unit) else { return .null }
            // 72.5 is a typing slip for a pulse, not a value to round.
            if whole, value != value.rounded() {
                request.fail(name, "must be a whole number (\(unit)), not \(RequestFields.plain(value))")
                return nil
            }
            return whole ? Int64(value).databaseValue : ((value * 10).rounded() / 10).databaseValue
        case .money: return request.money(name, required: isRequired)?.databaseValue ?? (isRequired ? nil : .null)
        case .ruled: return nil  // the record reads it
        }
    }

    /// How an API answer shows it (and, with `forRequest`, how a request writes it).
    package var schema: OpenAPISchema {
        switch kind {
        case .text(let maxLength, _, _): .string(nullable: !isRequired, description: description, maxLength: maxLength)
        case .date: .optionalDate
        case .choice(let values): .choice(values, nullable: true)
        case .boolean: .boolean
        case .integer(let range, _): .integer(minimum: range.lowerBound, maximum: range.upperBound)
        case .measurement(let range, let unit, let whole):
            whole
                ? .integer(
                    nullable: true,
                    description: "\(label), \(Self.span(range, unit))",
                    minimum: Int64(range.lowerBound),
                    maximum: Int64(range.upperBound)
                )
                : .number(nullable: true, description: "\(label), \(Self.span(range, unit))", minimum: range.lowerBound, maximum: range.upperBound)
        case .money: isRequired ? .money : .integer(nullable: true, description: "minor units of the tenant's currency (cents)")
        case .ruled(let schema): schema
        }
    }

    /// "30–45 °C".
    package static func span(_ range: ClosedRange<Double>, _ unit: String) -> String {
        "\(RequestFields.plain(range.lowerBound))–\(RequestFields.plain(range.upperBound)) \(unit)"
    }

    /// The column as a `json_object` value: 0/1 columns become `true`/`false`.
    package func jsonValue(table: String) -> String {
        if case .boolean = kind { return SQLJSON.bool("\(table).\(name)") }
        return "\(table).\(name)"
    }

    /// The page's input for it, showing `value` as typed and `error` beside it.
    package func formField(value: String, error: String?, autocomplete: String? = nil) -> FormField {
        var label = label
        if case .measurement(let range, let unit, _) = self.kind {
            label += " (\(unit), \(RequestFields.plain(range.lowerBound))–\(RequestFields.plain(range.upperBound)))"
        }
        let kind: FormField.Kind =
            switch self.kind {
            case .text(_, true, _): .textArea
            case .text(_, false, let input): .input(type: input)
            case .date: .input(type: "date")
            case .choice(let values): .select(options: [("", "—")] + values.map { ($0, $0.replacingOccurrences(of: "_", with: " ").capitalized) })
            case .boolean: .checkbox
            case .integer: .input(type: "number")
            // Text, not a number input: a comma is a decimal point too, and the server says what is wrong.
            case .measurement, .money, .ruled: .input(type: "text")
            }
        return FormField(name: name, label: label, kind: kind, value: value, required: isRequired, autocomplete: autocomplete, error: error)
    }
}
