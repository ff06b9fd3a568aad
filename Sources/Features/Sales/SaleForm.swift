import ClinicBoxCore
import Clinical
import Inventory
import Patients
import Prescriptions

/// A sale as the till sends it: what is sold (by product id or scanned SKU), discount, payments, prescription.
package struct SaleForm: Sendable {
    package static let fields: Set<String> = [
        "branch", "items", "discount", "payments", "patient_id", "prescription_id", "prescription_reference", AllergyCheck.overrideField,
        RepeatInterval.reasonField,
    ]
    package static let methods = ["cash", "card", "mobile_money"]

    package struct Item: Sendable {
        package var productID: Int64?
        package var sku: String?
        package var quantity: Int64
    }

    package struct Payment: Sendable {
        package var method: String
        package var amount: Int64
        package var reference: String?
    }

    package var branch: String
    package var items: [Item]
    package var discount: Int64
    package var payments: [Payment]
    package var patientID: Int64?
    package var prescriptionID: Int64?
    package var prescriptionReference: String?
    /// Why to sell against the prescription despite the patient's allergy (see `AllergyCheck`).
    package var allergyOverride: String? = nil
    /// Why to sell a repeat of the prescription before it is due (see `RepeatInterval`).
    package var earlyRepeatReason: String? = nil

    /// Reads and validates the body; every problem is collected in `request`.
    package static func read(_ request: inout RequestFields, tenant: Tenant) -> SaleForm? {
        let branch = request.branch("branch", of: tenant)
        let items = request.objects("items", allowed: ["product_id", "sku", "quantity"]) { item -> Item? in
            let productID = item.integer("product_id", in: 1...Int64.max)
            let sku = item.text("sku", maxLength: 64)
            if (productID == nil) == (sku == nil) { item.fail("product_id", "give either product_id or sku") }
            guard let quantity = item.integer("quantity", in: 1...100_000, required: true) else { return nil }
            return Item(productID: productID, sku: sku, quantity: quantity)
        }
        let payments = request.objects("payments", allowed: ["method", "amount", "reference"], maxCount: 10) { payment -> Payment? in
            let method = payment.choice("method", methods, required: true)
            let amount = payment.integer("amount", in: 1...1_000_000_000_000, required: true)
            let reference = payment.text("reference", maxLength: 100)
            guard let method, let amount else { return nil }
            return Payment(method: method, amount: amount, reference: reference)
        }
        let discount = request.money("discount") ?? 0
        let patientID = request.integer("patient_id", in: 1...Int64.max)
        let prescriptionID = request.integer("prescription_id", in: 1...Int64.max)
        let prescriptionReference = request.text("prescription_reference", maxLength: 100)
        let allergyOverride = request.text(AllergyCheck.overrideField, maxLength: 500)
        let earlyRepeat = request.text(RepeatInterval.reasonField, maxLength: 500)
        guard let branch, let items, let payments, request.errors.isEmpty else { return nil }
        return SaleForm(
            branch: branch,
            items: items,
            discount: discount,
            payments: payments,
            patientID: patientID,
            prescriptionID: prescriptionID,
            prescriptionReference: prescriptionReference,
            allergyOverride: allergyOverride,
            earlyRepeatReason: earlyRepeat
        )
    }
}
