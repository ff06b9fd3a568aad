import ClinicBoxCore
import GRDB

/// A product as a request writes it, validated into column values.
package struct ProductForm {
    package static let forms = [
        "tablet", "capsule", "liquid", "injection", "cream", "ointment", "drops", "inhaler", "patch", "suppository", "powder",
        "device", "other",
    ]

    /// A product's fields, described once: the API, its JSON and schema, and the pages derive from this list.
    package static let fields = RecordFields([
        .text("sku", "SKU or barcode", maxLength: 64, required: true),
        .substanceName("name", "Name", required: true),
        .substanceName("generic_name", "Generic name"),
        .text("strength", "Strength (e.g. 500 mg)", maxLength: 50),
        .choice("form", "Form", forms),
        .integer("reorder_level", "Reorder level", in: 0...1_000_000, default: 0),
        .boolean("requires_prescription", "Prescription only", default: false),
        .boolean("controlled", "Controlled substance", default: false),
        .boolean("active", "On sale", default: true),
        .ruled(
            "tax_class",
            "Tax class (empty: the default)",
            .string(nullable: true, description: "one of the tenant file's tax.classes; empty: its default_class", maxLength: 32)
        ),
    ])

    package private(set) var values: RecordValues

    package init() { values = Self.fields.initialValues }

    package init(row: Row) { values = Self.fields.values(of: row) }

    package var sku: String { values.text("sku") ?? "" }

    package mutating func apply(_ request: inout RequestFields, tax: TenantDefinition.Tax) {
        Self.fields.apply(&request, to: &values)
        if request.has("sku"), sku.contains(where: \.isWhitespace) { request.fail("sku", "must not contain spaces (a scanner types it)") }
        if request.has("tax_class") {
            let taxClass = request.text("tax_class", maxLength: 32)
            if let taxClass, tax.classes[taxClass] == nil {
                request.fail("tax_class", "must be one of this clinic's tax classes: \(tax.classNames.joined(separator: ", "))")
            }
            values["tax_class"] = taxClass.databaseValue
        }
    }

    package var columns: [(String, DatabaseValue)] {
        values.columns + [
            ("sort_name", (values.text("name") ?? "").folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).databaseValue)
        ]
    }
}
