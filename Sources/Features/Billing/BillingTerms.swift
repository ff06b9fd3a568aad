import ClinicBoxCore

/// What billing is done under besides the request: who bills (and whether they may approve), the tenant's tax
/// classes, limits and currency, and today's date where the tenant is.
package struct BillingTerms: Sendable {
    package var actor: AuditActor
    package var userID: Int64
    package var mayApprove: Bool
    package var tax: TenantDefinition.Tax
    package var rules: TenantDefinition.BillingRules
    /// The tenant file's insurers, schemes and employers.
    package var payers: [TenantDefinition.Payer]
    package var currency: String
    package var today: CalendarDate
    /// What the tenant's modules offer for billing.
    package var sources: [BillableSource]
    /// What the tenant's modules take in at a till, for the cash-up.
    package var takings: [TakingsSource]

    package init(_ context: some SignedInContext) {
        let tenant = context.tenant
        actor = context.actor
        userID = context.user.id
        mayApprove = tenant.permissions.allows(context.user, .billingApprove)
        tax = tenant.definition.tax
        rules = tenant.definition.billing
        payers = tenant.definition.payers
        currency = tenant.definition.currency
        today = CalendarDate.today(in: tenant.timeZone)
        (sources, takings) = (tenant.billables, tenant.takings)
    }

    package func money(_ amount: Int64) -> String { Money.format(amount, currency: currency) }

    /// "10%": the share above which a discount needs a manager.
    package var discountLimit: String { TenantDefinition.Tax.percent(rules.discountLimitBasisPoints) + "%" }

    /// True when `discount` off `base` is more than the tenant lets anyone but a manager give.
    package func needsApproval(_ discount: Int64, of base: Int64) -> Bool {
        let (asked, allowed) = (discount.multipliedFullWidth(by: 10_000), base.multipliedFullWidth(by: Int64(rules.discountLimitBasisPoints)))
        return discount > 0 && (asked.high, asked.low) > (allowed.high, allowed.low)
    }
}

extension RequestFields {
    /// The branch a new invoice, payment or till is for: as named (`branch`), or the user's only branch.
    mutating func billingBranch(_ context: AuthenticatedContext, for what: String) -> String {
        // Sent empty (or null) is the same as not sent.
        if has("branch"), text("branch", maxLength: 40) != nil { return branch("branch", of: context.tenant) ?? "" }
        let mine = context.user.workBranches(of: context.tenant.definition)
        guard mine.count == 1 else {
            fail("branch", "is required: say which of \(mine.joined(separator: ", ")) \(what)")
            return ""
        }
        return mine[0]
    }
}
