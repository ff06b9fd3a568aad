import Hummingbird

/// A section a module adds to the chart page (the documents, the merged records), rendered from the module's own
/// template. A module's forms in it post to the module's own routes; a refused one comes back through
/// `ModulePages.chart` with the `FormRefusal`, which every section is shown and picks its own forms from.
package struct ChartSection: Sendable {
    package enum Place: Sendable {
        /// Between the panels and the timeline.
        case beforeTimeline
        /// At the end, after the patient's details.
        case afterDetails
    }

    /// What a section is shown for.
    package struct Showing: Sendable {
        package var patient: Int64
        package var context: PageRequestContext
        /// The contributing module's pages (its templates).
        package var pages: ModulePages
        package var database: TenantDatabase
        package var refused: FormRefusal?
        /// The chart's path, `/t/acme/patients/12`, below which the module's forms post.
        package var chartPath: String

        package init(
            patient: Int64,
            context: PageRequestContext,
            pages: ModulePages,
            database: TenantDatabase,
            refused: FormRefusal?,
            chartPath: String
        ) {
            self.patient = patient
            self.context = context
            self.pages = pages
            self.database = database
            self.refused = refused
            self.chartPath = chartPath
        }
    }

    package var place: Place
    /// The section's HTML, or nil when it has nothing to show this user.
    package var render: @Sendable (Showing) async throws -> RenderedHTML?

    package init(place: Place, render: @escaping @Sendable (Showing) async throws -> RenderedHTML?) {
        self.place = place
        self.render = render
    }
}

/// The page that shows a patient's chart (the clinical module's), as other modules reach it: their refused forms
/// come back on it.
package protocol ChartPage: Sendable {
    func show(_ request: Request, _ context: PageRequestContext, refused: FormRefusal?) async throws -> Response
}
