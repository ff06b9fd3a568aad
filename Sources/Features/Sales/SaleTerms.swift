import ClinicBoxCore
import Clinical
import Foundation

/// What a sale is made under besides its form, the same at the till and through the API: who sells, the tenant's
/// tax and currency, today's date, whether prescriptions are checked (the tenant has them), and who may decide to
/// dispense despite an allergy.
package struct SaleTerms: Sendable {
    package var actor: AuditActor
    package var tax: TenantDefinition.Tax
    package var currency: String
    package var today: CalendarDate
    package var timeZone: TimeZone
    package var checksPrescriptions: Bool
    package var allergyDecision: AllergyCheck.Decision

    package init(_ context: some SignedInContext) {
        let tenant = context.tenant
        actor = context.actor
        tax = tenant.definition.tax
        currency = tenant.definition.currency
        (today, timeZone) = (CalendarDate.today(in: tenant.timeZone), tenant.timeZone)
        checksPrescriptions = tenant.features.contains("prescriptions")
        allergyDecision = AllergyCheck.Decision(user: context.user, permissions: tenant.permissions, deciding: .prescriptionsDispense)
    }
}
