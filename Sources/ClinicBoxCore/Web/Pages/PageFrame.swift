import Mustache

/// What the layout around every page shows: the tenant's branding and contact details, the navigation, the
/// signed-in user and the page's own HTML (rendered first, from escaped values).
package struct PageFrame: TemplateValues {
    package struct Link: TemplateValues {
        package var label: String
        package var href: String
        package var current = false

        package static let templateNames: TemplateNames<Link> = [
            "label": { $0.label },
            "href": { $0.href },
            "current": { $0.current },
        ]
    }

    /// A footer item: a `tel:` or `mailto:` link, or plain text. No other URL scheme is ever rendered as a link.
    package struct Contact: TemplateValues {
        package var text: String
        package var href: String?

        package static let templateNames: TemplateNames<Contact> = [
            "text": { $0.text },
            "href": { $0.href },
        ]
    }

    /// What `partials/navigation` renders: the links, and whether there are any.
    package struct Navigation: TemplateValues {
        package var links: [Link]

        package static let templateNames: TemplateNames<Navigation> = [
            "hasNav": { !$0.links.isEmpty },
            "nav": { $0.links },
        ]
    }

    package var title: String
    package var tenant: TenantDefinition
    package var base: String
    package var user: AuthenticatedUser?
    package var csrf: String?
    /// The links, for a layout that lists them itself (an override written before `partials/navigation`).
    package var nav: [Link] = []
    /// The navigation bar, rendered from `partials/navigation` and kept (`KeptNavigation`).
    package var navigation = RenderedHTML(html: "")
    package var flash: String?
    package var content: String

    package static let templateNames: TemplateNames<PageFrame> = [
        "title": { $0.title },
        "tenantName": { $0.tenant.name },
        "companyName": { $0.tenant.branding.companyName },
        "base": { $0.base },
        "logoURL": { $0.tenant.logoURL },
        "favicon": { $0.tenant.logoURL ?? "/static/favicon.svg" },
        "user": { $0.user.map { ["name": $0.displayName, "email": $0.email, "role": $0.role.rawValue] as [String: Any] } },
        "csrf": { $0.csrf },
        "hasNav": { !$0.nav.isEmpty },
        "nav": { $0.nav },
        "navigation": { $0.navigation },
        "flash": { $0.flash },
        "content": { $0.content },
        "contact": { Self.contact(of: $0.tenant) },
    ]

    package static func contact(of tenant: TenantDefinition) -> [Contact] {
        var items: [Contact] = []
        if let phone = tenant.contact.phone {
            items.append(Contact(text: phone, href: "tel:" + phone.filter { $0.isNumber || $0 == "+" }))
        }
        if let email = tenant.contact.email { items.append(Contact(text: email, href: "mailto:" + email)) }
        if let address = tenant.contact.address { items.append(Contact(text: address)) }
        return items
    }
}
