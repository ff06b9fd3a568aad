import ClinicBoxCore
import Clinical
import Inventory
import Patients
import Prescriptions

/// A sale as the till sends it: what is sold (by product id or scanned SKU), discount, payments, prescription.
package struct SaleForm: Sendable {
    package static let methods = ["cash", "card", "mobile_money"]

    /// What is sold, line by line: a product by its id or its scanned SKU, and how many.
    package static let itemFields = RecordFields([
        .ruled("product_id", "Product", .id),
        .ruled("sku", "SKU", .string(description: "instead of product_id, as a scanner types it")),
        .ruled("quantity", "Quantity", .integer()),
    ])
    /// How it was paid, one line per method.
    package static let paymentFields = RecordFields([
        .ruled("method", "Method", .choice(methods)),
        .ruled("amount", "Amount", .money),
        .ruled("reference", "Reference", .optionalText),
    ])
    /// A sale as the till sends it, described once: the allowed names and the input schema come from these lists;
    /// `read` reads and checks each.
    package static let fields = RecordFields([
        .ruled("branch", "Branch", .text),
        .ruled("items", "Items", .array(.object(itemFields.schema, required: ["quantity"]))),
        .ruled("discount", "Discount", .money),
        .ruled("payments", "Payments", .array(.object(paymentFields.schema, required: ["method", "amount"]))),
        .ruled("patient_id", "Patient", .id),
        .ruled("prescription_id", "Prescription", .id),
        .ruled("prescription_reference", "Prescription reference", .string(description: "a paper prescription's reference")),
        .ruled(AllergyCheck.overrideField, "Reason despite an allergy", AllergyCheck.overrideSchema),
        .ruled(
            RepeatInterval.reasonField,
            "Reason to sell a repeat early",
            .string(nullable: true, description: "why to sell a repeat of the prescription before it is due (those who may dispense)", maxLength: 500)
        ),
    ])

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
        let items = request.objects("items", allowed: itemFields.names) { item -> Item? in
            let productID = item.integer("product_id", in: 1...Int64.max)
            let sku = item.text("sku", maxLength: 64)
            if (productID == nil) == (sku == nil) { item.fail("product_id", "give either product_id or sku") }
            guard let quantity = item.integer("quantity", in: 1...100_000, required: true) else { return nil }
            return Item(productID: productID, sku: sku, quantity: quantity)
        }
        let payments = request.objects("payments", allowed: paymentFields.names, maxCount: 10) { payment -> Payment? in
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
