import Mustache

/// What the layout around every page shows: the tenant's branding and contact details, the navigation, the
/// signed-in user and the page's own HTML (rendered first, from escaped values).
struct PageFrame: MustacheParent {
    struct Link: MustacheParent {
        var label: String
        var href: String
        var current = false

        func child(named name: String) -> Any? {
            switch name {
            case "label": label
            case "href": href
            case "current": current
            default: nil
            }
        }
    }

    /// A footer item: a `tel:` or `mailto:` link, or plain text. No other URL scheme is ever rendered as a link.
    struct Contact: MustacheParent {
        var text: String
        var href: String?

        func child(named name: String) -> Any? {
            switch name {
            case "text": text
            case "href": href
            default: nil
            }
        }
    }

    /// What `partials/navigation` renders: the links, and whether there are any.
    struct Navigation: MustacheParent {
        var links: [Link]

        func child(named name: String) -> Any? {
            switch name {
            case "hasNav": !links.isEmpty
            case "nav": links
            default: nil
            }
        }
    }

    var title: String
    var tenant: TenantDefinition
    var base: String
    var user: AuthenticatedUser?
    var csrf: String?
    /// The links, for a layout that lists them itself (an override written before `partials/navigation`).
    var nav: [Link] = []
    /// The navigation bar, rendered from `partials/navigation` and kept (`KeptNavigation`).
    var navigation = RenderedHTML(html: "")
    var flash: String?
    var content: String

    func child(named name: String) -> Any? {
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

    static func contact(of tenant: TenantDefinition) -> [Contact] {
        var items: [Contact] = []
        if let phone = tenant.contact.phone {
            items.append(Contact(text: phone, href: "tel:" + phone.filter { $0.isNumber || $0 == "+" }))
        }
        if let email = tenant.contact.email { items.append(Contact(text: email, href: "mailto:" + email)) }
        if let address = tenant.contact.address { items.append(Contact(text: address)) }
        return items
    }
}
