import ClinicBoxCore
import Clinical
import Inventory
import Patients

/// The OpenAPI schemas of the prescriptions module's requests and answers, named by its endpoints in `PrescriptionsRoutes.swift`.
extension PrescriptionsModule {
    package var schemas: [String: OpenAPISchema] {
        let item = PrescriptionsAPI.itemFields.schema
        return [
            "Prescription": .object([
                "id": .id, "number": .text, "patient_id": .id, "prescriber_id": .optionalID, "prescriber_name": .text, "prescribed_on": .date,
                "prescriber_registration": .string(
                    nullable: true,
                    description: "the prescriber's professional registration number (an outside prescriber's, or the user's when written)"
                ),
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
            "PrescriptionInput": .object(PrescriptionsAPI.fields.schema, required: ["patient_id", "items"]),
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
