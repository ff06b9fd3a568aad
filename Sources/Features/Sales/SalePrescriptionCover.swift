import ClinicBoxCore
import GRDB
import Inventory
import Patients
import Prescriptions

/// What lets a sale hand over prescription-only products, decided inside the sale's transaction:
/// - one of the tenant's own prescriptions: the sale then holds that prescription's items only, up to what is left to
///   dispense (repeats included), for its patient, and completing the sale dispenses them;
/// - the reference of a paper prescription: recorded with the sale; for a controlled product only a manager or a
///   clinician may do this, and it is audited;
/// - nothing, when nothing in the basket needs a prescription.
package enum SalePrescriptionCover {
    case none
    case paper(reference: String, controlled: [String])
    case prescription(id: Int64, number: String, patientID: Int64, lines: [PrescriptionDispensing.Line])

    /// A sale line's product, as the rules need it.
    package struct Product: Sendable {
        package var id: Int64
        package var name: String
        package var genericName: String?
        package var requiresPrescription: Bool
        package var controlled: Bool
        package var quantity: Int64
        /// The tax class it is sold at (the tenant's default when the product names none).
        package var taxClass: String = ""
        package var taxRate: Int = 0
    }

    /// Roles that may sell a controlled product against a paper prescription.
    package static let paperControlledRoles: Set<Role> = [.admin, .manager, .clinician]

    package static func decide(_ db: Database, _ form: SaleForm, products: [Product], prescriptionsEnabled: Bool, actor: AuditActor) throws -> Self {
        if form.prescriptionID != nil, form.prescriptionReference != nil {
            throw Problem.invalid(
                "prescription_reference",
                "give prescription_id (one of this clinic's prescriptions) or prescription_reference (a paper prescription), not both"
            )
        }
        if let id = form.prescriptionID {
            guard prescriptionsEnabled else {
                throw Problem.invalid(
                    "prescription_id",
                    "cannot be used: the prescriptions module is not enabled here; give a paper prescription's reference in prescription_reference"
                )
            }
            return try linked(db, id: id, form, products: products)
        }
        let needing = products.filter(\.requiresPrescription)
        if let reference = form.prescriptionReference {
            let controlled = needing.filter(\.controlled).map(\.name)
            if !controlled.isEmpty, !(actor.role.map(paperControlledRoles.contains) ?? false) {
                throw Problem(
                    .forbidden,
                    title: "Controlled drug",
                    detail:
                        "\(list(controlled)) \(controlled.count == 1 ? "is a controlled drug" : "are controlled drugs"): selling against a paper prescription (\(reference)) needs a manager or a clinician. Nothing was sold."
                )
            }
            return .paper(reference: reference, controlled: controlled)
        }
        guard needing.isEmpty else {
            let how =
                prescriptionsEnabled
                ? "link the patient's prescription (prescription_id, or its RX number at the till) or give a paper prescription's reference (prescription_reference)"
                : "give the paper prescription's reference (prescription_reference)"
            let names = list(needing.map(\.name))
            throw Problem(
                .conflict,
                title: "Prescription required",
                detail: "\(names) \(needing.count == 1 ? "is" : "are") prescription-only: \(how). Nothing was sold.",
                fieldErrors: [(prescriptionsEnabled ? "prescription_id" : "prescription_reference"): "is required for \(names)"]
            )
        }
        return .none
    }

    /// Each sale line matched to an item of prescription `id` with enough left to dispense.
    private static func linked(_ db: Database, id: Int64, _ form: SaleForm, products: [Product]) throws -> Self {
        guard let prescription = try Row.fetchOne(db, sql: "SELECT number, patient_id, status FROM prescriptions WHERE id = ?", arguments: [id])
        else {
            throw Problem.invalid("prescription_id", "is not a prescription of this clinic")
        }
        let (number, patientID, status): (String, Int64, String) = (prescription["number"], prescription["patient_id"], prescription["status"])
        guard status == "pending" || status == "partially_dispensed" else {
            throw Problem(
                .conflict,
                title: "Cannot dispense",
                detail: "Prescription \(number) is \(status); nothing is left to sell against it. Nothing was sold."
            )
        }
        if let patient = form.patientID, patient != patientID {
            throw Problem.invalid("patient_id", "must be the prescription's patient: \(number) was written for another patient")
        }
        var items = try Row.fetchAll(
            db,
            sql:
                "SELECT id, medicine, product_id, quantity * (repeats + 1) - dispensed_quantity AS left FROM prescription_items WHERE prescription_id = ? ORDER BY id",
            arguments: [id]
        ).map { (id: $0["id"] as Int64, medicine: $0["medicine"] as String, productID: $0["product_id"] as Int64?, left: $0["left"] as Int64) }
        var lines: [PrescriptionDispensing.Line] = []
        for (index, product) in products.enumerated() {
            let covering = items.indices.filter { covers(items[$0].productID, items[$0].medicine, product) }
            guard !covering.isEmpty else {
                let why = product.requiresPrescription ? " (it is prescription-only, so it needs a prescription of its own)" : ""
                throw Problem(
                    .conflict,
                    title: "Not on the prescription",
                    detail:
                        "\(product.name) is not on prescription \(number)\(why). A sale linked to a prescription sells only its items; ring other products up as a separate sale. Nothing was sold.",
                    fieldErrors: ["items[\(index)]": "is not on prescription \(number)"]
                )
            }
            guard let match = covering.first(where: { items[$0].left >= product.quantity }) else {
                let left = covering.map { items[$0].left }.max() ?? 0
                throw Problem(
                    .conflict,
                    title: "More than prescribed",
                    detail:
                        "Prescription \(number) has \(left) of \(product.name) left to dispense (repeats included); the sale asks for \(product.quantity). Nothing was sold.",
                    fieldErrors: ["items[\(index)].quantity": "must be at most \(left), what \(number) has left to dispense"]
                )
            }
            items[match].left -= product.quantity
            lines.append(.init(itemID: items[match].id, quantity: product.quantity, productID: product.id))
        }
        return .prescription(id: id, number: number, patientID: patientID, lines: lines)
    }

    /// An item names its product once it has been dispensed (or when it was written); before that, the medicine's
    /// name must be the product's name or its generic name.
    private static func covers(_ itemProduct: Int64?, _ medicine: String, _ product: Product) -> Bool {
        if let itemProduct { return itemProduct == product.id }
        let wanted = medicine.trimmingSpaces.lowercased()
        return [product.name, product.genericName].compactMap { $0?.trimmingSpaces.lowercased() }.contains(wanted)
    }

    private static func list(_ names: [String]) -> String {
        names.count <= 1 ? names.joined() : names.dropLast().joined(separator: ", ") + " and " + names.last!
    }
}
