import Foundation
import Hummingbird
import Mustache

/// Renders the server-side pages: a template for the content, then the layout around it, answered as HTML that
/// is never cached (pages show patient data).
public struct Pages: Sendable {
    package let renderer: PageRenderer
    package let catalog: FeatureCatalog

    /// A page for a signed-in user. `section` marks the current navigation entry (a module id, `home`, `admin`).
    package func page(
        _ context: PageRequestContext,
        _ template: String,
        title: String,
        section: String,
        data: some MustacheParent = [String: Any](),
        status: HTTPResponse.Status = .ok,
        flash: String? = nil
    ) -> Response {
        let content = renderer.render(template, PageContent(data: data, base: context.basePath, csrf: context.session.csrfToken))
        let key = NavigationKey(base: context.basePath, role: context.user.role, current: section, generation: renderer.generation)
        let links = navigation(context, current: section)
        let bar = context.tenant.navigation.html(for: key) { renderer.render("partials/navigation", PageFrame.Navigation(links: links)) }
        let frame = PageFrame(
            title: title,
            tenant: context.tenant.definition,
            base: context.basePath,
            user: context.user,
            csrf: context.session.csrfToken,
            nav: links,
            navigation: RenderedHTML(html: bar),
            flash: flash,
            content: content
        )
        return html(renderer.render("layout", frame), status: status)
    }

    /// A document laid out for paper: the template inside `printout` (the letterhead, no navigation, buttons or
    /// footer), on `paper`; `branch` puts that branch's name and address in the letterhead, `back` is the document's page.
    package func printout(
        _ context: PageRequestContext,
        _ template: String,
        title: String,
        paper: PaperSize,
        branch: String? = nil,
        back: String,
        data: some MustacheParent
    ) -> Response {
        let content = renderer.render(template, PageContent(data: data, base: context.basePath, csrf: nil))
        let frame = Printout(
            title: title,
            tenant: context.tenant.definition,
            base: context.basePath,
            paper: paper,
            branch: branch,
            back: back,
            content: content
        )
        return html(renderer.render("printout", frame))
    }

    /// A page for anyone (sign-in): the tenant's frame without navigation.
    package func publicPage(
        _ context: TenantRequestContext,
        _ template: String,
        title: String,
        data: some MustacheParent,
        status: HTTPResponse.Status = .ok,
        headers: HTTPFields = [:]
    ) -> Response {
        let content = renderer.render(template, PageContent(data: data, base: context.basePath, csrf: nil))
        let frame = PageFrame(title: title, tenant: context.tenant.definition, base: context.basePath, content: content)
        var response = html(renderer.render("layout", frame), status: status)
        response.headers.append(contentsOf: headers)
        return response
    }

    /// The rows of a list page rendered with `template` (one row each), reusing a row's HTML until its record's
    /// version changes. `record` gives each row's id and version, or nil for a row that shows more than one record
    /// (rendered every time); `scope` (default: the template) names the kind of record when one template shows several.
    package func rows<Row: MustacheParent>(
        _ rows: [Row],
        template: String,
        scope: String? = nil,
        _ context: PageRequestContext,
        database: TenantDatabase,
        record: (Row) -> (id: Int64, version: Int64)?
    ) -> RenderedHTML {
        let generation = renderer.generation
        // Kept with the tenant's database, so a tenant only ever sees its own rows and they go when it closes.
        let fragments = database.companions.value(RowFragments.self) { RowFragments(capacity: 20_000) }
        var html = ""
        for row in rows {
            guard let (id, version) = record(row) else {
                html += renderer.render(template, row)
                continue
            }
            let key = RowFragmentKey(template: scope ?? template, base: context.basePath, generation: generation, id: id, version: version)
            html += fragments.html(for: key) { renderer.render(template, row) }
        }
        return RenderedHTML(html: html)
    }

    /// Home, then each module the tenant has and the user may read, then administration for admins.
    package func navigation(_ context: PageRequestContext, current: String) -> [PageFrame.Link] {
        let base = context.basePath
        var links = [PageFrame.Link(label: "Home", href: base + "/", current: current == "home")]
        for module in catalog.modules where context.tenant.features.contains(module.id) {
            guard let entry = module.navigation, context.allows(entry.action) else { continue }
            links.append(.init(label: entry.label, href: base + "/" + module.id, current: current == module.id))
        }
        if context.user.role == .admin {
            links.append(.init(label: "Administration", href: base + "/admin", current: current == "admin"))
        }
        return links
    }

    package func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }

    /// A redirect after a successful form (post/redirect/get), so reloading the page does not send it again.
    package static func seeOther(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }
}

/// A page's own values plus what every content template may use: `base` (the tenant's page root) and `csrf`.
package struct PageContent<Data: MustacheParent>: MustacheParent {
    package var data: Data
    package var base: String
    package var csrf: String?

    package func child(named name: String) -> Any? {
        switch name {
        case "base": base
        case "csrf": csrf ?? data.child(named: name)
        default: data.child(named: name)
        }
    }
}

/// A module's entry in the page navigation.
/// A button on a patient's page that starts something in a module for that patient: its label, the page it
/// opens (under the module, with `?patient=<number>`), and the action a user needs to see it.
public struct PatientAction: Sendable {
    public var label: String
    public var path: String
    public var action: PermissionAction

    package init(label: String, path: String, action: PermissionAction) {
        self.label = label
        self.path = path
        self.action = action
    }
}

public struct ModuleNavigation: Sendable {
    public var label: String
    /// The permission a user needs for the entry to be shown (the pages check it again).
    public var action: PermissionAction

    package init(label: String, action: PermissionAction) {
        self.label = label
        self.action = action
    }
}
