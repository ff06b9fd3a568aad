import GRDB
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
        /// What the user reads of this chart: their role's and branches' part, or all of it in an emergency.
        package var reader: ChartReader

        package init(
            patient: Int64,
            context: PageRequestContext,
            pages: ModulePages,
            database: TenantDatabase,
            refused: FormRefusal?,
            chartPath: String,
            reader: ChartReader? = nil
        ) {
            self.reader = reader ?? ChartReader(context.user)
            self.patient = patient
            self.context = context
            self.pages = pages
            self.database = database
            self.refused = refused
            self.chartPath = chartPath
        }
    }

    package var place: Place
    /// What it shows, read inside the chart's one read transaction (so the page stays one read however many
    /// modules add to it).
    package let read: @Sendable (_ db: Database, _ showing: Showing) throws -> any Sendable
    /// The section's HTML from what `read` found, or nil when it has nothing to show this user.
    package let render: @Sendable (_ found: any Sendable, _ showing: Showing) -> RenderedHTML?

    package init<Found: Sendable>(
        place: Place,
        read: @escaping @Sendable (_ db: Database, _ showing: Showing) throws -> Found,
        render: @escaping @Sendable (_ found: Found, _ showing: Showing) -> RenderedHTML?
    ) {
        self.place = place
        self.read = { db, showing in try read(db, showing) }
        self.render = { found, showing in render(found as! Found, showing) }
    }
}

/// The page that shows a patient's chart (the clinical module's), as other modules reach it: their refused forms
/// come back on it.
package protocol ChartPage: Sendable {
    func show(_ request: Request, _ context: PageRequestContext, refused: FormRefusal?) async throws -> Response
}
