import ClinicBoxCore
import GRDB
import Inventory
import Patients

/// Which product a medicine written on the prescription form is dispensed as, chosen the way a patient is
/// (`PatientPicker`): the form is sent, and where the tenant stocks products that match the medicine, the same form
/// comes back with them to choose from, and with *not stocked here* to keep the medicine as written. Nothing is
/// chosen for the prescriber, and a changed medicine is asked about again. A chosen product travels as
/// `product_N` with the text it was chosen for (`product_for_N`), so the till and dispensing match it exactly.
package enum ProductChoice: Sendable {
    /// The product chosen.
    case product(ProductSearch.Match)
    /// Kept as written: nothing in stock matches, or the prescriber said it is not stocked here.
    case asWritten
    /// Matching products to choose from; the form comes back.
    case choices([ProductSearch.Match])

    package static let notStocked = "none"

    /// What the form says for item `index` whose medicine is `medicine`; `stocked` is false without inventory.
    package static func read(_ body: FormBody, index: Int, medicine: String, stocked: Bool, _ db: Database) throws -> ProductChoice {
        guard stocked, !medicine.isEmpty else { return .asWritten }
        let chosen = body["product_for_\(index)"] == medicine ? body["product_\(index)"] : nil
        if chosen == notStocked { return .asWritten }
        if let id = chosen.flatMap({ Int64($0) }), let product = try ProductSearch.byID(id, db) { return .product(product) }
        let found = try ProductSearch.byName(medicine, db)
        return found.isEmpty ? .asWritten : .choices(found)
    }

    package var productID: Int64? {
        if case .product(let match) = self { match.id } else { nil }
    }

    package var isOpen: Bool {
        if case .choices = self { true } else { false }
    }

    /// What the item's part of `prescriptions/form` shows: the choices, or the product chosen (kept in hidden fields).
    package func data(index: Int, medicine: String, kept: String?) -> [String: Any] {
        var data: [String: Any] = ["productFor": medicine, "index": String(index)]
        switch self {
        case .product(let match): (data["chosenProduct"], data["chosenID"]) = (match.label, String(match.id))
        case .choices(let found):
            data["hasChoices"] = true
            data["choices"] = found.map { ["id": String($0.id), "label": $0.label, "checked": kept == String($0.id)] as [String: Any] }
            data["notStocked"] = Self.notStocked
        case .asWritten: if kept == Self.notStocked { data["keptAsWritten"] = Self.notStocked }
        }
        return data
    }
}
