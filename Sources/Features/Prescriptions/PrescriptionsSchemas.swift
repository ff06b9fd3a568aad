import ClinicBoxCore
import Clinical
import Inventory
import Patients

/// The OpenAPI schemas of the prescriptions module's requests and answers, named by its endpoints in `PrescriptionsRoutes.swift`.
extension PrescriptionsModule {
    package var schemas: [String: OpenAPISchema] {
        let item: [String: OpenAPISchema] = [
            "medicine": .text, "strength": .optionalText, "dose": .text, "quantity": .integer(), "repeats": .integer(description: "0–12"),
            "product_id": .integer(nullable: true, description: "the inventory product dispensed for it"),
            "repeat_interval_days": .integer(
                nullable: true,
                description: "days before a repeat may be dispensed (1–365); default: how long the quantity lasts at the dose, or 28",
                minimum: 1,
                maximum: 365
            ),
        ]
        return [
            "Prescription": .object([
                "id": .id, "number": .text, "patient_id": .id, "prescriber_id": .optionalID, "prescriber_name": .text, "prescribed_on": .date,
                "prescriber_registration": .string(nullable: true, description: "an outside prescriber's registration number"),
                "prescriber_practice": .optionalText,
                "entered_by_name": .string(nullable: true, description: "who entered a prescription from an outside prescriber"),
                "visit_id": .optionalID,
                "status": .choice(PrescriptionsAPI.statuses), "notes": .optionalText, "version": .version,
                "allergy_override_reason": .string(nullable: true, description: "why it was written despite an allergy the patient has"),
                "allergy_override_by": .optionalText,
                "created_at": .timestamp, "updated_at": .timestamp,
                "items": .array(
                    .object(
                        item.merging([
                            "id": .id, "dispensed_quantity": .integer(),
                            "dispensings": .array(
                                .object([
                                    "batch_id": .id, "batch_number": .text, "expiry": .date, "branch": .text, "quantity": .integer(),
                                    "dispensed_by": .text,
                                    "dispensed_by_name": .string(nullable: true, description: "the name of who handed it out, as it was then"),
                                    "at": .timestamp,
                                    "early_repeat_reason": .string(nullable: true, description: "why a repeat was dispensed before its interval"),
                                    "allergy_override_reason": .optionalText,
                                ])
                            ),
                        ]) { $1 }
                    )
                ),
            ]),
            "PrescriptionInput": .object(
                [
                    "patient_id": .id, "prescribed_on": .date, "notes": .optionalText,
                    "items": .array(.object(item, required: ["medicine", "dose", "quantity"])),
                    "allergy_override_reason": AllergyCheck.overrideSchema, "visit_id": .id,
                    "outside_prescriber": .object(
                        ["name": .text, "registration_number": .string(maxLength: 50), "practice": .optionalText],
                        required: ["name", "registration_number"]
                    ),
                ],
                required: ["patient_id", "items"]
            ),
            "PrescriptionUpdate": .object(["version": .version, "notes": .optionalText, "status": .choice(["cancelled"])], required: ["version"]),
            "Dispensing": .object(
                [
                    "branch": .text,
                    "items": .array(.object(["item_id": .id, "quantity": .integer(), "product_id": .id], required: ["item_id", "quantity"])),
                    "allergy_override_reason": AllergyCheck.overrideSchema,
                    "early_repeat_reason": .string(
                        nullable: true,
                        description: "why to dispense a repeat before its interval; without it an early repeat is a 409",
                        maxLength: 500
                    ),
                ],
                required: ["branch", "items"]
            ),
        ]
    }

}
