import Hummingbird
import Mustache

/// One module's view of `Pages`: a template named `list` is the module's own (`templates/<templateFolder>/list`),
/// and every page it renders marks its own navigation entry. The shared templates (`admin/confirm`) are named in
/// full with `core:`, so a module can only reach another module's templates by saying so.
package struct ModulePages: Sendable {
    package let pages: Pages
    package let section: String
    package let folder: String

    package init(_ pages: Pages, for module: any FeatureModule) {
        self.pages = pages
        section = module.pagePath
        folder = module.templateFolder
    }

    /// A page rendered from the module's template `name`.
    package func page(
        _ context: PageRequestContext,
        _ name: String,
        title: String,
        data: some MustacheParent = [String: Any](),
        status: HTTPResponse.Status = .ok,
        flash: String? = nil
    ) -> Response {
        pages.page(context, folder + "/" + name, title: title, section: section, data: data, status: status, flash: flash)
    }

    /// A document laid out for paper, from the module's template `name` (see `Pages.printout`).
    package func printout(
        _ context: PageRequestContext,
        _ name: String,
        title: String,
        paper: PaperSize,
        branch: String? = nil,
        back: String,
        data: some MustacheParent
    ) -> Response {
        pages.printout(context, folder + "/" + name, title: title, paper: paper, branch: branch, back: back, data: data)
    }

    /// A page rendered from a shared template, named in full (`admin/confirm`).
    package func page(
        _ context: PageRequestContext,
        core template: String,
        title: String,
        data: some MustacheParent = [String: Any](),
        status: HTTPResponse.Status = .ok
    ) -> Response {
        pages.page(context, template, title: title, section: section, data: data, status: status)
    }

    /// The rows of a list, from the module's row template `name` (see `Pages.rows`).
    package func rows<Row: MustacheParent>(
        _ rows: [Row],
        template name: String,
        _ context: PageRequestContext,
        database: TenantDatabase,
        record: (Row) -> (id: Int64, version: Int64)?
    ) -> RenderedHTML {
        pages.rows(rows, template: folder + "/" + name, context, database: database, record: record)
    }

    /// A form's fields, each from `partials/field`; empty ones are rendered once and kept (`FormField.blankKey`).
    package func fields(_ fields: [FormField], _ context: PageRequestContext, database: TenantDatabase) -> RenderedHTML {
        pages.rows(fields, template: "partials/field", scope: "blank-field", context, database: database) { $0.blankKey }
    }

    /// A piece of a page (a chart section) from the module's template `name`, with `base` and `csrf` at hand.
    package func fragment(_ context: PageRequestContext, _ name: String, data: some MustacheParent) -> RenderedHTML {
        RenderedHTML(
            html: pages.renderer.render(folder + "/" + name, PageContent(data: data, base: context.basePath, csrf: context.session.csrfToken))
        )
    }

    /// The patient's chart page again, with a form of this module that was refused (`FormRefusal`), from the module
    /// that shows the chart.
    package func chart(_ request: Request, _ context: PageRequestContext, refused: FormRefusal) async throws -> Response {
        for module in pages.catalog.modules where context.tenant.features.contains(module.id) {
            if let chart = module.chartPage(ModulePages(pages, for: module)) { return try await chart.show(request, context, refused: refused) }
        }
        throw Problem(.notFound, title: "Not found", detail: "this clinic has no patient chart")
    }

    package func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response { pages.html(text, status: status) }
}
