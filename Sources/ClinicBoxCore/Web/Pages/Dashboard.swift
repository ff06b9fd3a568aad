import GRDB
import Hummingbird
import Mustache

/// A dashboard card a module contributes: a heading, a few lines (each maybe a link) and a link to the module.
package struct DashboardCard: Sendable, TemplateValues {
    package struct Line: Sendable, TemplateValues {
        package var text: String
        package var detail: String?
        package var href: String?
        /// The record the line shows and its version: the rendered line is reused until the version changes. Nil
        /// when the line also shows other records (an appointment with its patient's name): rendered every time.
        package var record: (id: Int64, version: Int64)?

        package init(text: String, detail: String? = nil, href: String? = nil, record: (id: Int64, version: Int64)?) {
            self.text = text
            self.detail = detail
            self.href = href
            self.record = record
        }

        package static let templateNames: TemplateNames<Line> = [
            "text": { $0.text },
            "detail": { $0.detail },
            "href": { $0.href },
        ]
    }

    package var title: String
    /// What kind of record the lines show (`patients`), which keeps their rendered HTML apart from other cards'.
    package var kind: String
    package var lines: [Line]
    /// `lines` rendered, filled in by the dashboard.
    package var renderedLines = RenderedHTML(html: "")
    /// Shown when there are no lines: "No appointments today."
    package var empty: String
    package var moreHref: String?
    package var moreLabel: String?

    package static let templateNames: TemplateNames<DashboardCard> = [
        "title": { $0.title },
        "lines": { $0.renderedLines },
        "empty": { $0.lines.isEmpty ? $0.empty : nil },
        "moreHref": { $0.moreHref },
        "moreLabel": { $0.moreLabel },
    ]

    package init(
        title: String,
        kind: String,
        lines: [Line],
        renderedLines: RenderedHTML = RenderedHTML(html: ""),
        empty: String,
        moreHref: String? = nil,
        moreLabel: String? = nil
    ) {
        self.title = title
        self.kind = kind
        self.lines = lines
        self.renderedLines = renderedLines
        self.empty = empty
        self.moreHref = moreHref
        self.moreLabel = moreLabel
    }
}

/// `GET /` for a signed-in user: one card per enabled module that has one, and recent activity for admins.
package struct DashboardPage {
    package let pages: Pages

    /// Any signed-in user; each card is shown only where the user's role may read it.
    package var endpoints: [Endpoint<PageRequestContext>] {
        [
            .page(.get, "", "dashboard", allowing: "signed in", template: "dashboard", use: render),
            .page(.post, "emergency-access/{id}/review", "review an emergency access", action: Permissions.readAudit, use: review),
        ]
    }

    private func render(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        try await render(context, flash: request.uri.queryParameters.get("done") == "reviewed" ? "Marked reviewed." : nil)
    }

    /// An admin marks an emergency access reviewed, with a note; without one, the dashboard says so beside the field.
    private func review(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let form = try await context.submittedForm(request)
        let id = try context.recordID(entity: "emergency access")
        let note = form["note"]?.trimmingSpaces ?? ""
        guard (1...1000).contains(note.count) else {
            return try await render(context, reviewError: (id, "write what you found (1 to 1000 characters)"), status: .unprocessableContent)
        }
        let actor = context.actor
        guard try await context.storage.database().write({ db in try EmergencyAccess.review(db, id: id, note: note, actor: actor) }) else {
            throw RecordChanges.notFound("emergency access")
        }
        return Pages.seeOther(context.basePath + "/?done=reviewed")
    }

    private func render(
        _ context: PageRequestContext,
        reviewError: (id: Int64, message: String)? = nil,
        status: HTTPResponse.Status = .ok,
        flash: String? = nil
    ) async throws -> Response {
        var cards: [DashboardCard] = []
        for module in pages.catalog.modules where context.tenant.features.contains(module.id) {
            cards += try await module.dashboardCards(context)
        }
        if context.allows(Permissions.readAudit) { cards.append(try await recentActivity(context)) }
        let database = try await context.storage.database()
        for index in cards.indices {
            cards[index].renderedLines = pages.rows(
                cards[index].lines,
                template: "partials/dashboard-line",
                scope: cards[index].kind,
                context,
                database: database
            ) { $0.record }
        }
        var data: [String: Any] = ["cards": cards, "greeting": "Signed in as \(context.user.displayName)", "hasCards": !cards.isEmpty]
        if context.allows(Permissions.readAudit) {
            let alerts = try await emergencies(context, error: reviewError)
            if !alerts.isEmpty { (data["emergencies"], data["hasEmergencies"]) = (alerts, true) }
        }
        return pages.page(context, "dashboard", title: "Home", section: "home", data: data, status: status, flash: flash)
    }

    /// Every emergency access no admin has reviewed, as the admins' dashboard lists them.
    private func emergencies(_ context: PageRequestContext, error: (id: Int64, message: String)?) async throws -> [[String: Any]] {
        let (tenant, base, time) = (context.tenant, context.basePath, context.tenant.readableTime)
        let (alerts, names) = try await context.storage.database().read { db in
            let alerts = try EmergencyAccess.unreviewed(db)
            let names = try tenant.auditWording.kind("patient")?.names?(db, alerts.map { String($0.patient) }, tenant) ?? [:]
            return (alerts, names)
        }
        return alerts.map { alert in
            let name = names[String(alert.patient)]
            var line: [String: Any] = [
                "id": alert.id, "who": alert.who, "role": alert.role, "at": time.moment(alert.startedAt), "reason": alert.reason,
                "patient": name?.text ?? "patient \(alert.patient)", "action": "\(base)/emergency-access/\(alert.id)/review",
            ]
            if let path = name?.path { line["patientHref"] = base + path }
            if let error, error.id == alert.id { line["error"] = error.message }
            return line
        }
    }

    private func recentActivity(_ context: PageRequestContext) async throws -> DashboardCard {
        let (tenant, base) = (context.tenant, context.basePath)
        let entries = try await context.storage.database().read { db in
            let rows = try db.fetchAllCached("SELECT \(AuditEntry.columns) FROM audit_log ORDER BY id DESC LIMIT 8", [])
            return try AuditEntry.read(db, rows, tenant: tenant, basePath: base, changes: false)
        }
        // A line is rendered again only when its sentence changes (a record it names was renamed): the hash of the
        // sentence and link stands in for a version.
        let lines = entries.map { entry in
            var hasher = Hasher()
            hasher.combine(entry.sentence)
            hasher.combine(entry.href)
            return DashboardCard.Line(text: entry.sentence, detail: entry.at, href: entry.href, record: (entry.id, Int64(hasher.finalize())))
        }
        return DashboardCard(
            title: "Recent activity",
            kind: "audit_log",
            lines: lines,
            empty: "Nothing has happened yet.",
            moreHref: base + "/admin/audit",
            moreLabel: "Audit log"
        )
    }
}
