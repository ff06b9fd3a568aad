import ClinicBoxCore
import Foundation
import GRDB

/// A price-list entry as a request writes it: its fields described once, and the tax class checked against the
/// classes the tenant file names (which can change while the entry stays).
package struct ServiceForm {
    package static let kinds = ["service", "consultation", "procedure"]

    package static let fields = RecordFields([
        .text("code", "Code", maxLength: 20, required: true, description: "the clinic's own code, e.g. CONS-GP or FIL1"),
        .text("name", "Name", maxLength: 200, required: true),
        .ruled("kind", "Kind", .choice(kinds)),
        .money("price", "Price", required: true),
        .ruled(
            "tax_class",
            "Tax class",
            .string(nullable: true, description: "one of the tenant file's tax.classes; empty: its default_class", maxLength: 32)
        ),
        .boolean("active", "Offered", default: true),
    ])

    package private(set) var values: RecordValues

    package init() {
        values = Self.fields.initialValues
        values["kind"] = "service".databaseValue
    }

    package init(row: Row) { values = Self.fields.values(of: row) }

    package var code: String { values.text("code") ?? "" }

    package mutating func apply(_ request: inout RequestFields, tax: TenantDefinition.Tax) {
        Self.fields.apply(&request, to: &values)
        if request.has("code"), !code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) {
            request.fail("code", "use letters, digits, '-', '_' and '.' (no spaces)")
        }
        if request.has("kind") { values["kind"] = request.choice("kind", Self.kinds, required: true).databaseValue }
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
