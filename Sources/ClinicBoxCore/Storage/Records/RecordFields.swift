import GRDB

/// The fields people write on one kind of record, in the order pages and JSON show them. Each module states its
/// record's fields once (`PatientForm.fields`) and reads, stores, renders and documents them through this.
package struct RecordFields: Sendable {
    package let all: [RecordField]

    package init(_ fields: [RecordField]) { all = fields }

    package var names: Set<String> { Set(all.map(\.name)) }
    package var required: [String] { all.filter(\.isRequired).map(\.name) }

    /// A new record's values, before the request is applied.
    package var initialValues: RecordValues { RecordValues(all.map { ($0.name, $0.initialValue) }) }

    /// The stored values of an existing record, for a change to start from.
    package func values(of row: Row) -> RecordValues {
        RecordValues(all.map { ($0.name, row[$0.name] as DatabaseValue? ?? .null) })
    }

    /// Applies the fields `request` names (every required one must be set afterwards) and records each problem.
    package func apply(_ request: inout RequestFields, to values: inout RecordValues) {
        for field in all where request.has(field.name) {
            if let value = field.read(&request) { values[field.name] = value }
        }
        for field in all where field.isRequired && (values[field.name].isNull || values.text(field.name) == "") {
            request.fail(field.name, "is required")
        }
    }

    /// The OpenAPI properties of these fields.
    package var schema: [String: OpenAPISchema] {
        Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0.schema) })
    }

    /// `'name', table.name, …` for a `json_object(…)` of these fields.
    package func jsonPairs(table: String) -> String {
        all.map { "'\($0.name)', \($0.jsonValue(table: table))" }.joined(separator: ", ")
    }

    /// A stored row as a page's form shows it: text as typed, checked boxes as `"true"`, unchecked ones absent,
    /// amounts as `currency` writes them.
    package func formValues(of row: Row, currency: String = "") -> [String: String] {
        var values: [String: String] = [:]
        for field in all {
            switch field.kind {
            case .boolean: if row[field.name] as Bool { values[field.name] = "true" }
            case .integer: values[field.name] = String(row[field.name] as Int64)
            case .money: if let amount = row[field.name] as Int64? { values[field.name] = Money.number(amount, currency: currency) }
            case .measurement: if let number = row[field.name] as Double? { values[field.name] = RequestFields.plain(number) }
            case .ruled:
                switch (row[field.name] as DatabaseValue).storage {
                case .int64(let number): values[field.name] = String(number)
                case .double(let number): values[field.name] = RequestFields.plain(number)
                case .string(let text): values[field.name] = text
                case .null, .blob: break
                }
            default: if let text = row[field.name] as String? { values[field.name] = text }
            }
        }
        return values
    }

    /// A stored row as its edit form shows it (`formValues`), with the `version` the form sends back.
    package func editValues(of row: Row, currency: String = "") -> [String: String] {
        var values = formValues(of: row, currency: currency)
        values["version"] = String(row["version"] as Int64)
        return values
    }

    /// The page's inputs, in order, each with the value typed (or stored) and its message.
    package func formFields(values: [String: String], errors: [String: String], autocomplete: String? = nil) -> [FormField] {
        all.map { field in
            let value: String =
                if case .boolean(let initial) = field.kind {
                    // An unchecked box sends nothing: an empty form is a new record, showing the default.
                    (values.isEmpty ? initial : values[field.name] != nil) ? "true" : ""
                } else {
                    values[field.name] ?? ""
                }
            return field.formField(value: value, error: errors[field.name], autocomplete: autocomplete)
        }
    }

    /// The names of the checkboxes and the number inputs, for reading a submitted form as typed fields.
    package var checkboxes: Set<String> { Set(all.filter { if case .boolean = $0.kind { true } else { false } }.map(\.name)) }
    package var integers: Set<String> { Set(all.filter { if case .integer = $0.kind { true } else { false } }.map(\.name)) }
    package var amounts: Set<String> { Set(all.filter { if case .money = $0.kind { true } else { false } }.map(\.name)) }
}

/// A record's field values by column name, in field order.
package struct RecordValues: Sendable {
    private var names: [String]
    private var values: [String: DatabaseValue]

    package init(_ pairs: [(String, DatabaseValue)]) {
        names = pairs.map(\.0)
        values = Dictionary(uniqueKeysWithValues: pairs)
    }

    package subscript(name: String) -> DatabaseValue {
        get { values[name] ?? .null }
        set {
            if values[name] == nil { names.append(name) }
            values[name] = newValue
        }
    }

    package func text(_ name: String) -> String? { String.fromDatabaseValue(self[name]) }

    /// The values as columns to write, in field order.
    package var columns: [(String, DatabaseValue)] { names.map { ($0, values[$0]!) } }
}
