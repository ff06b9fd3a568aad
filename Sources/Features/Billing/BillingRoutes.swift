import ClinicBoxCore
import Hummingbird

/// Where billing answers: the price list at `/api/v1/billing/services` and `/billing/services`, invoices at
/// `/api/v1/invoices` and credit notes at `/api/v1/credit-notes`.
extension BillingModule {
    package var resourceEndpoints: [String: [Endpoint<AuthenticatedContext>]] {
        let (invoices, payments, claims) = (InvoicesAPI(), PaymentsAPI(), ClaimsAPI())
        return [
            "invoices": [
                Endpoint(
                    .get(
                        "",
                        "Invoices in the user's branches, newest first",
                        action: .billingRead,
                        query: APIOperation.paging(
                            InvoicesAPI.sorting,
                            [
                                "status": (.choice(InvoicesAPI.statuses), ""), "patient_id": (.id, ""), "number": (.text, "e.g. INV-2026-000042"),
                                "branch": (.text, "branch code (default: the user's branches)"),
                            ]
                        ),
                        response: .json(.page(of: "InvoiceSummary"))
                    ),
                    use: invoices.list
                ),
                Endpoint(
                    .post("", "Make a draft invoice", action: .billingWrite, request: .ref("InvoiceInput"), response: .json(.ref("Invoice"))),
                    use: invoices.create
                ),
                Endpoint(
                    .get("{id}", "One invoice with its lines and credit notes", action: .billingRead, response: .json(.ref("Invoice"))),
                    use: invoices.show
                ),
                Endpoint(
                    .patch(
                        "{id}",
                        "Change a draft (lines, when given, replace them all and are priced again); an issued invoice is a 409",
                        action: .billingWrite,
                        request: .ref("InvoiceUpdate"),
                        response: .json(.ref("Invoice"))
                    ),
                    use: invoices.update
                ),
                Endpoint(
                    .post(
                        "{id}/issue",
                        "Issue a draft: the next number of the year; it never changes again",
                        action: .billingWrite,
                        request: .ref("InvoiceIssue"),
                        status: 200,
                        response: .json(.ref("Invoice")),
                        idempotent: false
                    ),
                    use: invoices.issue
                ),
                Endpoint(
                    .post(
                        "{id}/credit-notes",
                        "Cancel an issued invoice, whole or chosen lines, by a numbered credit note with a reason",
                        action: .billingApprove,
                        request: .ref("CreditNoteInput"),
                        response: .json(.ref("CreditNote"))
                    ),
                    use: invoices.credit
                ),
                Endpoint(
                    .post(
                        "{id}/use-credit",
                        "Settle an issued invoice from the patient's credit on account (all it asks, or `amount`)",
                        action: .billingWrite,
                        request: .ref("CreditUse"),
                        status: 200,
                        response: .json(.ref("Invoice"))
                    ),
                    use: payments.applyCredit
                ),
            ],
            "payments": [
                Endpoint(
                    .get(
                        "",
                        "Payments in the user's branches, newest first",
                        action: .billingRead,
                        query: APIOperation.paging(
                            PaymentsAPI.sorting,
                            ["patient_id": (.id, ""), "branch": (.text, "branch code (default: the user's branches)")]
                        ),
                        response: .json(.page(of: "Payment"))
                    ),
                    use: payments.list
                ),
                Endpoint(
                    .post(
                        "",
                        "Take a payment: it settles the named invoices (or the open ones, oldest first); the rest is credit on account",
                        action: .billingWrite,
                        request: .ref("PaymentInput"),
                        response: .json(.ref("Payment"))
                    ),
                    use: payments.take
                ),
                Endpoint(
                    .get("{id}", "One payment with what it settled and its refunds", action: .billingRead, response: .json(.ref("Payment"))),
                    use: payments.show
                ),
                Endpoint(
                    .post(
                        "{id}/refunds",
                        "Pay back part of a payment from the patient's credit on account (over the tenant's limit: managers)",
                        action: .billingWrite,
                        request: .ref("PaymentRefundInput"),
                        response: .json(.ref("PaymentRefund"))
                    ),
                    use: payments.refund
                ),
            ],
            "till-sessions": [
                Endpoint(
                    .get(
                        "",
                        "The till sessions of a day: the user's own, or everyone's for a manager",
                        action: .billingCashUp,
                        query: ["day": (.date, "default: today"), "branch": (.text, "branch code (default: the user's branches)")],
                        response: .json(.ref("TillSessions"))
                    ),
                    use: TillSessionsAPI().list
                ),
                Endpoint(
                    .post(
                        "",
                        "Open the user's till in a branch with a float",
                        action: .billingCashUp,
                        request: .ref("TillOpening"),
                        response: .json(.ref("TillSession"))
                    ),
                    use: TillSessionsAPI().open
                ),
                Endpoint(
                    .get(
                        "{id}",
                        "One till session with what is expected per method (and counted, once closed)",
                        action: .billingCashUp,
                        response: .json(.ref("TillSession"))
                    ),
                    use: TillSessionsAPI().show
                ),
                Endpoint(
                    .post(
                        "{id}/close",
                        "Close a till with the money counted per method; a difference needs a reason; it never changes again",
                        action: .billingCashUp,
                        request: .ref("TillClosing"),
                        status: 200,
                        response: .json(.ref("TillSession")),
                        idempotent: false
                    ),
                    use: TillSessionsAPI().close
                ),
            ],
            "patients": [
                Endpoint(
                    .get(
                        "{id}/statement",
                        "The patient's invoices, credit notes, payments and refunds with a running balance",
                        action: .billingRead,
                        response: .json(.ref("Statement"))
                    ),
                    use: StatementAPI().show
                ),
                Endpoint(
                    .get(
                        "{id}/memberships",
                        "The patient's memberships of payers, newest first",
                        action: .billingRead,
                        response: .json(.ref("Memberships"))
                    ),
                    use: claims.memberships
                ),
                Endpoint(
                    .post(
                        "{id}/memberships",
                        "Record a membership: a payer of the tenant file, the member number, valid until",
                        action: .billingWrite,
                        request: .ref("MembershipInput"),
                        response: .json(.ref("Membership"))
                    ),
                    use: claims.addMembership
                ),
            ],
            "claims": [
                Endpoint(
                    .get(
                        "",
                        "Payers' claims in the user's branches, newest first",
                        action: .billingRead,
                        query: APIOperation.paging(
                            ClaimsAPI.sorting,
                            [
                                "payer": (.text, "a payer's code"), "status": (.choice(Claims.statuses), ""),
                                "branch": (.text, "branch code (default: the user's branches)"),
                            ]
                        ),
                        response: .json(.page(of: "Claim"))
                    ),
                    use: claims.list
                ),
                Endpoint(.get("{id}", "One claim with its history", action: .billingRead, response: .json(.ref("Claim"))), use: claims.show),
                Endpoint(
                    .post(
                        "{id}/submit",
                        "The claim was sent to the payer",
                        action: .billingWrite,
                        request: .ref("ClaimAnswer"),
                        status: 200,
                        response: .json(.ref("Claim")),
                        idempotent: false
                    ),
                    use: claims.submit
                ),
                Endpoint(
                    .post(
                        "{id}/remittances",
                        "The payer paid (part of) the claim: an insurer payment settles the invoice",
                        action: .billingWrite,
                        request: .ref("ClaimRemittance"),
                        status: 200,
                        response: .json(.ref("Claim")),
                        idempotent: false
                    ),
                    use: claims.remit
                ),
                Endpoint(
                    .post(
                        "{id}/reject",
                        "The payer rejected (the rest of) the claim; it becomes the patient's to pay",
                        action: .billingWrite,
                        request: .ref("ClaimRejection"),
                        status: 200,
                        response: .json(.ref("Claim")),
                        idempotent: false
                    ),
                    use: claims.reject
                ),
            ],
            "credit-notes": [
                Endpoint(.get("{id}", "One credit note", action: .billingRead, response: .json(.ref("CreditNote"))), use: invoices.showCreditNote)
            ],
        ]
    }

    package var endpoints: [Endpoint<AuthenticatedContext>] {
        let services = PriceListAPI()
        return [
            Endpoint(
                .get(
                    "services",
                    "The price list",
                    action: .billingRead,
                    query: APIOperation.paging(
                        PriceListAPI.sorting,
                        [
                            "q": (.text, "exact code or part of the name"), "kind": (.choice(ServiceForm.kinds), ""),
                            "active": (.boolean, ""),
                        ]
                    ),
                    response: .json(.page(of: "Service"))
                ),
                use: services.list
            ),
            Endpoint(
                .post("services", "Add a price-list entry", action: .billingPrices, request: .ref("ServiceInput"), response: .json(.ref("Service"))),
                use: services.create
            ),
            Endpoint(.get("services/{id}", "One price-list entry", action: .billingRead, response: .json(.ref("Service"))), use: services.show),
            Endpoint(
                .patch(
                    "services/{id}",
                    "Change a price-list entry (invoices already made keep their price)",
                    action: .billingPrices,
                    request: .ref("ServiceUpdate"),
                    response: .json(.ref("Service"))
                ),
                use: services.update
            ),
        ]
    }

    package func pageEndpoints(_ pages: ModulePages) -> [Endpoint<PageRequestContext>] {
        let (services, invoices, payments) = (PriceListPages(pages: pages), InvoicesPages(pages: pages), PaymentPages(pages: pages))
        let (cashUp, printouts, claims) = (CashUpPages(pages: pages), BillingPrintouts(pages: pages), ClaimsPages(pages: pages))
        let payment = PaymentPage(pages: pages)
        return [
            .page(.get, "", "invoices", action: .billingRead, template: "invoices", use: invoices.list),
            .page(.get, "invoices/new", "new invoice form", action: .billingWrite, template: "invoice-new", use: invoices.newForm),
            .page(.post, "invoices", "start a draft", action: .billingWrite, use: invoices.create),
            .page(.get, "invoices/{id}", "invoice", action: .billingRead, template: "invoice", use: invoices.show),
            .page(.get, "invoices/{id}/print", "printed invoice", action: .billingRead, template: "invoice-print", use: printouts.invoice),
            .page(
                .get,
                "credit-notes/{id}/print",
                "printed credit note",
                action: .billingRead,
                template: "credit-note-print",
                use: printouts.creditNote
            ),
            .page(.get, "payments/{id}", "payment", action: .billingRead, template: "payment", use: payment.show),
            .page(.get, "payments/{id}/print", "printed receipt", action: .billingRead, template: "receipt-print", use: printouts.receipt),
            .page(.post, "payments/{id}/refunds", "pay money back", action: .billingWrite, use: payment.refund),
            .page(.get, "refunds/{id}/print", "printed refund", action: .billingRead, template: "refund-print", use: printouts.refund),
            .page(
                .get,
                "patients/{id}/statement/print",
                "printed statement",
                action: .billingRead,
                template: "statement-print",
                use: printouts.statement
            ),
            .page(.post, "invoices/{id}/lines", "add a line", action: .billingWrite, use: invoices.addLine),
            .page(.post, "invoices/{id}/lines/{position}/remove", "remove a line", action: .billingWrite, use: invoices.removeLine),
            .page(.post, "invoices/{id}/discount", "discount on the whole", action: .billingWrite, use: invoices.setDiscount),
            .page(.post, "invoices/{id}/payer", "who else pays", action: .billingWrite, use: invoices.setPayer),
            .page(.get, "invoices/{id}/issue", "confirm issuing", action: .billingWrite, template: "admin/confirm", use: invoices.confirmIssue),
            .page(.post, "invoices/{id}/issue", "issue", action: .billingWrite, use: invoices.issue),
            .page(.post, "invoices/{id}/credit", "credit lines", action: .billingApprove, use: invoices.credit),
            .page(.post, "invoices/{id}/payments", "take a payment", action: .billingWrite, use: payments.takeForInvoice),
            .page(.post, "invoices/{id}/use-credit", "settle from credit on account", action: .billingWrite, use: payments.useCredit),
            .page(.get, "patients/{id}/statement", "statement", action: .billingRead, template: "statement", use: payments.statement),
            .page(.post, "patients/{id}/payments", "take a payment for open invoices", action: .billingWrite, use: payments.takeForPatient),
            .page(.post, "patients/{id}/memberships", "record a membership", action: .billingWrite, use: payments.addMembership),
            .page(.get, "claims", "payers' claims", action: .billingRead, template: "claims", use: claims.list),
            .page(.post, "claims/{id}/submit", "mark a claim submitted", action: .billingWrite, use: claims.submit),
            .page(.post, "claims/{id}/remit", "record a payer's payment", action: .billingWrite, use: claims.remit),
            .page(.post, "claims/{id}/reject", "record a payer's rejection", action: .billingWrite, use: claims.reject),
            .page(.get, "cash-up", "the user's till, today's tills", action: .billingCashUp, template: "cash-up", use: cashUp.today),
            .page(.post, "cash-up", "open the till", action: .billingCashUp, use: cashUp.open),
            .page(.get, "cash-up/{id}", "a till session", action: .billingCashUp, template: "cash-up", use: cashUp.show),
            .page(.post, "cash-up/{id}/close", "close the till", action: .billingCashUp, use: cashUp.close),
            .page(.get, "services", "price list", action: .billingRead, template: "services", use: services.list),
            .page(.get, "services/new", "new entry form", action: .billingPrices, template: "forms/record", use: services.newForm),
            .page(.post, "services", "add entry", action: .billingPrices, use: services.create),
            .page(.get, "services/{id}/edit", "change entry form", action: .billingPrices, template: "forms/record", use: services.editForm),
            .page(.post, "services/{id}", "change entry", action: .billingPrices, use: services.update),
        ]
    }
}
