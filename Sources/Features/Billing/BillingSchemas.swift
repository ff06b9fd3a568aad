import ClinicBoxCore

/// The OpenAPI schemas of billing's requests and answers, named by its endpoints in `BillingRoutes.swift`.
extension BillingModule {
    package var schemas: [String: OpenAPISchema] {
        let service = ServiceForm.fields.schema
        let summary: [String: OpenAPISchema] = [
            "id": .id, "number": .optionalText, "status": .choice(InvoicesAPI.statuses), "patient_id": .id, "patient_number": .text,
            "branch": .text, "issued_on": .optionalDate, "currency": .text, "subtotal": .money, "discount_total": .money, "tax": .money,
            "total": .money, "paid": .money, "credited": .money,
            "balance": .integer(description: "what is left to pay, minor units; negative when more was paid than is owed"),
            "version": .version, "created_at": .timestamp, "updated_at": .timestamp,
        ]
        let invoiceLine: [String: OpenAPISchema] = [
            "id": .id, "position": .integer(), "source": .optionalText, "service_id": .optionalID, "item_code": .optionalText, "description": .text,
            "reason": .optionalText, "quantity": .integer(), "unit_price": .money, "discount": .money, "discount_reason": .optionalText,
            "tax_class": .text, "tax_rate_basis_points": .integer(description: "hundredths of a percent: 16 % is 1600"),
            "discount_total": .money, "net": .money, "tax": .money, "total": .money, "credited_by": .optionalText,
            "payer_share": .money, "patient_share": .money, "preauthorisation": .optionalText,
        ]
        let percent = OpenAPISchema.number(
            nullable: true,
            description: "a discount in percent, 0–100 (instead of discount)",
            minimum: 0,
            maximum: 100
        )
        let lineInput: [String: OpenAPISchema] = [
            "source": .string(nullable: true, description: "work another module recorded, billed once: treatment:12, visit:7", maxLength: 60),
            "service_id": .optionalID, "service_code": .optionalText,
            "description": .string(nullable: true, description: "a free line (not on the price list): what is billed", maxLength: 200),
            "unit_price": .integer(nullable: true, description: "a free line's price, minor units"),
            "reason": .string(nullable: true, description: "a free line: why it is billed outside the price list", maxLength: 500),
            "tax_class": .string(nullable: true, description: "a free line's tax class; default: the tenant's default_class", maxLength: 32),
            "quantity": .integer(minimum: 1, maximum: 10_000), "discount": .integer(nullable: true, description: "minor units off this line"),
            "discount_percent": percent, "discount_reason": .optionalText,
            "payer_share": .integer(nullable: true, description: "the payer's part of this line, minor units (default: the payer's share_percent)"),
            "payer_share_percent": .number(
                nullable: true,
                description: "the payer's part in percent, 0–100 (instead of payer_share)",
                minimum: 0,
                maximum: 100
            ),
            "preauthorisation": .string(nullable: true, description: "the payer's pre-authorisation reference for this line", maxLength: 60),
        ]
        let draft: [String: OpenAPISchema] = [
            "patient_id": .id, "branch": .string(nullable: true, description: "default: the user's only branch", maxLength: 40),
            "lines": .array(.object(lineInput)), "discount": .integer(nullable: true, description: "minor units off the whole invoice"),
            "discount_percent": percent, "discount_reason": .optionalText, "buyer_tax_number": .optionalText, "notes": .optionalText,
            "payer": .string(nullable: true, description: "a payer's code from the tenant file; the patient needs a valid membership", maxLength: 20),
        ]
        let membership = OpenAPISchema.object([
            "id": .id, "patient_id": .id, "payer": .text, "member_number": .text, "valid_until": .optionalDate, "created_at": .timestamp,
        ])
        let tillSession = OpenAPISchema.object([
            "id": .id, "branch": .text, "cashier_id": .id, "cashier_name": .text, "opened_at": .timestamp, "opening_float": .money,
            "status": .choice(["open", "closed"]), "closed_at": .string(format: "date-time", nullable: true), "difference_reason": .optionalText,
            "methods": .array(
                .object([
                    "method": .choice(TillSessions.methods), "expected": .integer(), "counted": .integer(nullable: true),
                    "difference": .integer(nullable: true),
                ])
            ),
        ])
        return [
            "Service": .object(service.merging(["id": .id, "version": .version, "created_at": .timestamp, "updated_at": .timestamp]) { $1 }),
            "ServiceInput": .object(service, required: ServiceForm.fields.required),
            "ServiceUpdate": .object(service.merging(["version": .version]) { $1 }, required: ["version"]),
            "InvoiceSummary": .object(summary),
            "Invoice": .object(
                summary.merging([
                    "prices_include_tax": .boolean, "discount": .money, "discount_reason": .optionalText, "buyer_tax_number": .optionalText,
                    "notes": .optionalText, "lines": .array(.object(invoiceLine)), "payer": .optionalText, "member_number": .optionalText,
                    "payer_total": .money, "patient_total": .money, "claim_id": .optionalID, "claim_number": .optionalText,
                    "claim_status": .choice(Claims.statuses, nullable: true),
                    "credit_notes": .array(.object(["id": .id, "number": .text, "issued_on": .date, "reason": .text, "total": .money])),
                ]) { $1 }
            ),
            "InvoiceInput": .object(draft, required: ["patient_id", "lines"]),
            "InvoiceUpdate": .object(
                draft.filter { !["patient_id", "branch"].contains($0.key) }.merging(["version": .version]) { $1 },
                required: ["version"]
            ),
            "InvoiceIssue": .object(["version": .version], required: ["version"]),
            "CreditUse": .object(["amount": .integer(nullable: true, description: "minor units; default: all the invoice asks")]),
            "PaymentInput": .object(
                [
                    "patient_id": .id, "branch": .string(nullable: true, description: "default: the user's only branch", maxLength: 40),
                    "method": .choice(Payments.methods), "amount": .integer(description: "minor units", minimum: 1, maximum: 1_000_000_000_000),
                    "reference": .string(nullable: true, description: "mobile money: the transaction code (unique); others: optional", maxLength: 40),
                    "invoices": .array(.id),
                ],
                required: ["patient_id", "method", "amount"]
            ),
            "Payment": .object([
                "id": .id, "number": .text, "patient_id": .id, "branch": .text, "method": .choice(Payments.methods), "amount": .money,
                "currency": .text,
                "reference": .optionalText, "received_on": .date, "created_at": .timestamp, "refunded": .money,
                "settled": .array(.object(["invoice_id": .id, "invoice_number": .text, "amount": .money])),
                "refunds": .array(
                    .object(["id": .id, "number": .text, "amount": .money, "method": .text, "reason": .text, "refunded_on": .date])
                ),
            ]),
            "PaymentRefundInput": .object(
                [
                    "amount": .integer(description: "minor units", minimum: 1, maximum: 1_000_000_000_000), "method": .choice(Payments.refundMethods),
                    "reason": .text,
                ],
                required: ["amount", "method", "reason"]
            ),
            "PaymentRefund": .object([
                "id": .id, "payment_id": .id, "payment_number": .text, "number": .text, "patient_id": .id, "branch": .text, "method": .text,
                "amount": .money, "reason": .text, "refunded_on": .date, "created_at": .timestamp,
            ]),
            "TillOpening": .object([
                "branch": .string(nullable: true, description: "default: the user's only branch", maxLength: 40),
                "opening_float": .integer(
                    nullable: true,
                    description: "cash in the drawer at opening, minor units",
                    minimum: 0,
                    maximum: 1_000_000_000_000
                ),
            ]),
            "TillClosing": .object(
                [
                    "counted": .object(
                        Dictionary(
                            uniqueKeysWithValues: TillSessions.methods.map { ($0, OpenAPISchema.integer(minimum: 0, maximum: 1_000_000_000_000)) }
                        )
                    ),
                    "reason": .string(nullable: true, description: "why the counted money differs from what was expected", maxLength: 500),
                ],
                required: ["counted"]
            ),
            "TillSession": tillSession,
            "TillSessions": .object(["day": .date, "items": .array(tillSession)]),
            "Statement": .object([
                "patient_id": .id, "balance": .integer(description: "positive: owed by the patient; negative: held for them"),
                "due": .money, "credit": .integer(description: "credit on account, minor units"),
                "entries": .array(
                    .object([
                        "day": .date, "kind": .choice(["invoice", "credit_note", "payment", "refund", "claim", "claim_rejected"]), "number": .text,
                        "description": .text,
                        "amount": .integer(description: "positive: charged; negative: paid or credited"), "balance": .integer(),
                    ])
                ),
            ]),
            "Membership": membership,
            "Memberships": .object(["items": .array(membership)]),
            "MembershipInput": .object(
                [
                    "payer": .string(description: "a payer's code from the tenant file", maxLength: 20),
                    "member_number": .string(description: "the number the payer knows the patient by", maxLength: 40),
                    "valid_until": .optionalDate,
                ],
                required: ["payer", "member_number"]
            ),
            "Claim": .object([
                "id": .id, "number": .text, "invoice_id": .id, "invoice_number": .text, "patient_id": .id, "branch": .text, "issued_on": .date,
                "payer": .text, "member_number": .text, "amount": .money, "paid": .money, "status": .choice(Claims.statuses),
                "submitted_on": .optionalDate, "rejection_reason": .optionalText, "rejected_on": .optionalDate, "version": .version,
                "created_at": .timestamp,
                "updated_at": .timestamp,
                "events": .array(
                    .object(["status": .text, "amount": .integer(nullable: true), "note": .optionalText, "at": .timestamp])
                ),
            ]),
            "ClaimAnswer": .object(["version": .version], required: ["version"]),
            "ClaimRemittance": .object(
                [
                    "version": .version,
                    "amount": .integer(
                        nullable: true,
                        description: "minor units; default: all that is still claimed",
                        minimum: 1,
                        maximum: 1_000_000_000_000
                    ),
                    "reference": .string(nullable: true, description: "the payer's remittance reference", maxLength: 60),
                ],
                required: ["version"]
            ),
            "ClaimRejection": .object(
                ["version": .version, "reason": .string(description: "the payer's reason", maxLength: 500)],
                required: ["version", "reason"]
            ),
            "CreditNoteInput": .object(
                ["reason": .text, "lines": .array(.id)],
                required: ["reason"]
            ),
            "CreditNote": .object([
                "id": .id, "invoice_id": .id, "invoice_number": .text, "number": .text, "issued_on": .date, "reason": .text, "net": .money,
                "tax": .money, "total": .money, "created_at": .timestamp,
                "lines": .array(.object(["invoice_line_id": .id, "description": .text, "net": .money, "tax": .money, "total": .money])),
            ]),
        ]
    }
}
