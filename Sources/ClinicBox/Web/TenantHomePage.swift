import Hummingbird

/// `GET /` of a tenant: a small branded landing page until the server-rendered app arrives.
struct TenantHomePage {
    func register(on group: RouterGroup<TenantRequestContext>) {
        group.get { _, context in render(context) }
    }

    func render(_ context: TenantRequestContext) -> Response {
        let tenant = context.tenant.definition
        let features = tenant.features.map { "<li>\(HTML.escape($0))</li>" }.joined()
        let account =
            if let session = context.session {
                """
                <p>Signed in as \(HTML.escape(session.user.email)) (\(session.user.role.rawValue)).</p>
                <form method="post" action="\(context.basePath)/logout"><input type="hidden" name="csrf_token" value="\(HTML.escape(session.csrfToken))">
                <button type="submit">Sign out</button></form>
                """
            } else {
                "<p><a href=\"\(context.basePath)/login\">Sign in</a></p>"
            }
        return PageLayout.render(
            tenant, title: "Home", body: "<p>\(HTML.escape(tenant.name)) runs on ClinicBox.</p>\(account)<h2>Enabled features</h2><ul>\(features)</ul>"
        )
    }
}
