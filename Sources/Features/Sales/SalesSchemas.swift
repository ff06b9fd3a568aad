import ClinicBoxCore
import Clinical
import Inventory
import Patients
import Prescriptions

/// The OpenAPI schemas of the sales module's requests and answers, named by its endpoints in `SalesRoutes.swift`.
extension SalesModule {
    package var schemas: [String: OpenAPISchema] {
        [
            "Sale": .object([
                "id": .id, "number": .text, "branch": .text, "sale_date": .date, "status": .choice(["completed", "partially_refunded", "refunded"]),
                "patient_id": .optionalID, "prescription_id": .optionalID, "prescription_reference": .optionalText, "subtotal": .money,
                "discount": .money,
                "tax": .money, "total": .money, "tax_rate_basis_points": .integer(), "prices_include_tax": .boolean, "paid": .money,
                "change_due": .money,
                "refunded": .money, "cashier_id": .id, "version": .version, "created_at": .timestamp, "updated_at": .timestamp,
                "items": .array(
                    .object([
                        "id": .id, "product_id": .id, "sku": .text, "name": .text, "quantity": .integer(), "line_total": .money,
                        "tax_class": .optionalText,
                        "tax_rate_basis_points": .integer(
                            nullable: true,
                            description: "the line's tax rate, hundredths of a percent (none on sales before lines kept it)"
                        ),
                        "tax": .integer(nullable: true, description: "the line's tax, minor units"),
                        "refunded_quantity": .integer(),
                        "batches": .array(
                            .object(["batch_id": .id, "batch_number": .text, "expiry": .date, "quantity": .integer(), "unit_price": .money])
                        ),
                    ])
                ),
                "payments": .array(.object(SaleForm.paymentFields.schema)),
            ]),
            "SaleInput": .object(SaleForm.fields.schema, required: ["branch", "items", "payments"]),
            "Refund": .object(
                [
                    "items": .array(.object(["sale_item_id": .id, "quantity": .integer()], required: ["sale_item_id", "quantity"])), "reason": .text,
                    "restock": .boolean,
                ],
                required: ["items", "reason"]
            ),
        ]
    }

}
