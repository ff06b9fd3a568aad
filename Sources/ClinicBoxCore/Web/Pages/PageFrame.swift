import Mustache

/// What the layout around every page shows: the tenant's branding and contact details, the navigation, the
/// signed-in user and the page's own HTML (rendered first, from escaped values).
package struct PageFrame: MustacheParent {
    package struct Link: MustacheParent {
        package var label: String
        package var href: String
        package var current = false

        package func child(named name: String) -> Any? {
            switch name {
            case "label": label
            case "href": href
            case "current": current
            default: nil
            }
        }
    }

    /// A footer item: a `tel:` or `mailto:` link, or plain text. No other URL scheme is ever rendered as a link.
    package struct Contact: MustacheParent {
        package var text: String
        package var href: String?

        package func child(named name: String) -> Any? {
            switch name {
            case "text": text
            case "href": href
            default: nil
            }
        }
    }

    /// What `partials/navigation` renders: the links, and whether there are any.
    package struct Navigation: MustacheParent {
        package var links: [Link]

        package func child(named name: String) -> Any? {
            switch name {
            case "hasNav": !links.isEmpty
            case "nav": links
            default: nil
            }
        }
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

    package func child(named name: String) -> Any? {
        switch name {
        case "title": title
        case "tenantName": tenant.name
        case "companyName": tenant.branding.companyName
        case "base": base
        case "logoURL": tenant.branding.logo == nil ? nil : "/api/tenants/\(tenant.id)/logo"
        case "favicon": tenant.branding.logo == nil ? "/static/favicon.svg" : "/api/tenants/\(tenant.id)/logo"
        case "user": user.map { ["name": $0.displayName, "email": $0.email, "role": $0.role.rawValue] as [String: Any] }
        case "csrf": csrf
        case "hasNav": !nav.isEmpty
        case "nav": nav
        case "navigation": navigation
        case "flash": flash
        case "content": content
        case "contact": Self.contact(of: tenant)
        default: nil
        }
    }

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
