import ClinicBoxCore
import GRDB
import Hummingbird

extension PermissionAction {
    package static let billingRead = PermissionAction("billing.read", doing: "see the price list, invoices and balances")
    package static let billingWrite = PermissionAction("billing.write", doing: "make and issue invoices and take payments")
    package static let billingPrices = PermissionAction("billing.prices", doing: "change the price list")
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
        .billingPrices: [.manager],
        .billingApprove: [.manager],
    ]

    package let migrations = BillingSchema.steps

    package let navigation: ModuleNavigation? = ModuleNavigation(label: "Billing", action: .billingRead)

    package init() {}
}
