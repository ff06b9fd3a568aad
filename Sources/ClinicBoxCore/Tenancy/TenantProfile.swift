/// The public face of a tenant: what `GET /api/v1/tenant` answers.
package struct TenantProfile: Encodable {
    package struct Branding: Encodable {
        package var companyName: String
        package var primaryColor: String
        package var accentColor: String
        package var logoUrl: String?
    }

    package struct Branch: Encodable {
        package var code: String
        package var name: String
        package var address: String?
    }

    package struct Contact: Encodable {
        package var phone: String?
        package var email: String?
        package var address: String?
    }

    package var id: String
    package var name: String
    package var domain: String
    package var branding: Branding
    package var features: [String]
    package var timezone: String
    package var currency: String
    package var contact: Contact
    package var branches: [Branch]

    package init(_ definition: TenantDefinition) {
        id = definition.id.rawValue
        name = definition.name
        domain = definition.domain.rawValue
        branding = Branding(
            companyName: definition.branding.companyName,
            primaryColor: definition.branding.primaryColor,
            accentColor: definition.branding.accentColor,
            logoUrl: definition.logoURL
        )
        features = definition.features
        timezone = definition.timezone
        currency = definition.currency
        contact = Contact(phone: definition.contact.phone, email: definition.contact.email, address: definition.contact.address)
        branches = definition.branches.map { Branch(code: $0.code, name: $0.name, address: $0.address) }
    }
}
