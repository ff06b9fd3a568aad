import ClinicBoxCore
import GRDB
import Hummingbird

extension PermissionAction {
    package static let billingRead = PermissionAction("billing.read", doing: "see the price list, invoices and balances")
    package static let billingWrite = PermissionAction("billing.write", doing: "make and issue invoices and take payments")
    package static let billingPrices = PermissionAction("billing.prices", doing: "change the price list")
    package static let billingCashUp = PermissionAction("billing.cash_up", doing: "open and close their till session")
    package static let billingApprove = PermissionAction(
        "billing.approve",
        doing: "approve discounts and refunds over the limits and credit issued invoices"
    )
}

/// Billing for clinic services: the price list (services, consultation types and dental procedures with their
/// prices and tax classes), and the invoices, payments and balances made from it.
package struct BillingModule: FeatureModule {
    package let id = "billing"
    package let domains = Set(TenantDomain.allCases)
    package let dependencies = ["patients"]
    package let summary = "price list, invoices, payments and balances"
    /// Who may do what (the README's billing role table says the same): the desk bills and takes money, managers
    /// set prices and approve what goes beyond the limits, clinicians see what a patient owes.
    package let actions: [PermissionAction: Set<Role>] = [
        .billingRead: [.manager, .clinician, .staff],
        .billingWrite: [.manager, .staff],
        .billingCashUp: [.manager, .staff],
        .billingPrices: [.manager],
        .billingApprove: [.manager],
    ]

    package let migrations = BillingSchema.steps

    package let navigation: ModuleNavigation? = ModuleNavigation(label: "Billing", action: .billingRead)

    /// The money billing takes in for the cash-up: payments, and refunds paid out.
    package var takings: [TakingsSource] {
        [
            TakingsSource(
                query: """
                    SELECT method, amount FROM payments
                    WHERE branch = :branch AND received_by = :cashier AND substr(created_at, 1, 19) BETWEEN substr(:from, 1, 19) AND substr(:to, 1, 19)
                    """
            ),
            TakingsSource(
                query: """
                    SELECT method, -amount FROM refunds
                    WHERE branch = :branch AND refunded_by = :cashier AND substr(created_at, 1, 19) BETWEEN substr(:from, 1, 19) AND substr(:to, 1, 19)
                    """
            ),
        ]
    }

    package init() {}
}
