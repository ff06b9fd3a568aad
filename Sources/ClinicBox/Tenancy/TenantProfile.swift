/// The public face of a tenant: what `GET /api/v1/tenant` answers.
struct TenantProfile: Encodable {
    struct Branding: Encodable {
        var companyName: String
        var primaryColor: String
        var accentColor: String
        var logoUrl: String?
    }

    struct Branch: Encodable {
        var code: String
        var name: String
        var address: String?
    }

    struct Contact: Encodable {
        var phone: String?
        var email: String?
        var address: String?
    }

    var id: String
    var name: String
    var domain: String
    var branding: Branding
    var features: [String]
    var timezone: String
    var currency: String
    var contact: Contact
    var branches: [Branch]

    init(_ definition: TenantDefinition) {
        id = definition.id.rawValue
        name = definition.name
        domain = definition.domain.rawValue
        branding = Branding(
            companyName: definition.branding.companyName,
            primaryColor: definition.branding.primaryColor,
            accentColor: definition.branding.accentColor,
            logoUrl: definition.branding.logo == nil ? nil : "/api/tenants/\(definition.id)/logo"
        )
        features = definition.features
        timezone = definition.timezone
        currency = definition.currency
        contact = Contact(phone: definition.contact.phone, email: definition.contact.email, address: definition.contact.address)
        branches = definition.branches.map { Branch(code: $0.code, name: $0.name, address: $0.address) }
    }
}
