import GRDB

/// What a module adds to a patient's chart, in one member of the contract (`FeatureModule.chart`). The chart asks
/// it only where the tenant has the module.
package struct ChartContribution: Sendable {
    package typealias Panels = @Sendable (_ db: Database, _ patient: Int64, _ reader: ChartReader, _ time: ReadableTime) throws -> [ChartPanel]

    /// Buttons on the patient's page (Book, Prescribe), shown to users whose role has their action.
    package var actions: [PatientAction] = []
    /// Buttons on the page of work another module records for billing (a signed visit): *Bill this visit*, opened
    /// with `?patient=<number>&branch=<code>`.
    package var workActions: [PatientAction] = []
    /// The kinds of record it adds to the timeline, each a query and how a row reads; the chart asks them all in one
    /// query, newest first, leaving out those the user may not see.
    package var timeline: [TimelineSource] = []
    /// Sections below the problems (the last vitals), each marked with the action needed to see it, from the
    /// reader's branches only.
    package var panels: Panels?
    /// Sections with forms of their own (the documents), rendered from the module's templates.
    package var sections: [ChartSection] = []

    package init(
        actions: [PatientAction] = [],
        workActions: [PatientAction] = [],
        timeline: [TimelineSource] = [],
        panels: Panels? = nil,
        sections: [ChartSection] = []
    ) {
        self.actions = actions
        self.workActions = workActions
        self.timeline = timeline
        self.panels = panels
        self.sections = sections
    }
}
