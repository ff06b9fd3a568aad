import GRDB
import Hummingbird
import Mustache

/// A dashboard card a module contributes: a heading, a few lines (each maybe a link) and a link to the module.
public struct DashboardCard: Sendable, MustacheParent {
    public struct Line: Sendable, MustacheParent {
        public var text: String
        public var detail: String?
        public var href: String?

        public init(text: String, detail: String? = nil, href: String? = nil) {
            self.text = text
            self.detail = detail
            self.href = href
        }

        public func child(named name: String) -> Any? {
            switch name {
            case "text": text
            case "detail": detail
            case "href": href
            default: nil
            }
        }
    }

    public var title: String
    public var lines: [Line]
    /// Shown when there are no lines: "No appointments today."
    public var empty: String
    public var moreHref: String?
    public var moreLabel: String?

    public func child(named name: String) -> Any? {
        switch name {
        case "title": title
        case "lines": lines
        case "empty": lines.isEmpty ? empty : nil
        case "moreHref": moreHref
        case "moreLabel": moreLabel
        default: nil
        }
    }
}

/// `GET /` for a signed-in user: one card per enabled module that has one, and recent activity for admins.
struct DashboardPage {
    let pages: Pages

    func register(on group: RouterGroup<PageRequestContext>) {
        group.get { _, context in try await render(context) }
    }

    private func render(_ context: PageRequestContext) async throws -> Response {
        var cards: [DashboardCard] = []
        for module in pages.catalog.modules where context.tenant.features.contains(module.id) {
            if let card = try await module.dashboardCard(context) { cards.append(card) }
        }
        if context.allows(Permissions.readAudit) { cards.append(try await recentActivity(context)) }
        let data: [String: Any] = ["cards": cards, "greeting": "Signed in as \(context.user.email)", "hasCards": !cards.isEmpty]
        return pages.page(context, "dashboard", title: "Home", section: "home", data: data)
    }

    private func recentActivity(_ context: PageRequestContext) async throws -> DashboardCard {
        let rows = try await context.storage.database().read { db in
            try Row.fetchAll(db, sql: "SELECT at, user_email, action, entity_type, entity_id FROM audit_log ORDER BY id DESC LIMIT 8").map { row in
                DashboardCard.Line(
                    text: "\(row["action"] as String)" + ((row["entity_id"] as String?).map { " · \(row["entity_type"] as String? ?? "") \($0)" } ?? ""),
                    detail: "\(row["user_email"] as String? ?? "system") · \(row["at"] as String)"
                )
            }
        }
        return DashboardCard(title: "Recent activity", lines: rows, empty: "Nothing has happened yet.", moreHref: context.basePath + "/admin/audit", moreLabel: "Audit log")
    }
}
