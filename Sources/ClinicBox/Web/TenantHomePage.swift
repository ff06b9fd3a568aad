import Hummingbird

/// `GET /` of a tenant: a small branded landing page until the server-rendered app arrives.
struct TenantHomePage {
    func register(on group: RouterGroup<TenantRequestContext>) {
        group.get { _, context in
            Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: render(context.tenant.definition)))
            )
        }
    }

    func render(_ tenant: TenantDefinition) -> String {
        let branding = tenant.branding
        let logo = branding.logo == nil ? "" : "<img src=\"/api/tenants/\(tenant.id)/logo\" alt=\"\" height=\"48\">"
        let features = tenant.features.map { "<li>\(HTML.escape($0))</li>" }.joined()
        let contact = [tenant.contact.phone, tenant.contact.email, tenant.contact.address].compactMap { $0 }.map(HTML.escape).joined(separator: " · ")
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTML.escape(tenant.name)) · ClinicBox</title>
            <style>:root{--primary:\(branding.primaryColor);--accent:\(branding.accentColor)}
            body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1d2430}
            header{display:flex;gap:1rem;align-items:center;padding:1rem 1.5rem;border-bottom:4px solid var(--accent)}
            main{max-width:48rem;margin:2rem auto;padding:0 1.5rem}h1{color:var(--primary);margin:0;font-size:1.5rem}
            footer{max-width:48rem;margin:2rem auto;padding:0 1.5rem;color:#5b6473;font-size:.875rem}</style></head>
            <body><header>\(logo)<h1>\(HTML.escape(branding.companyName))</h1></header>
            <main><p>\(HTML.escape(tenant.name)) runs on ClinicBox.</p><h2>Enabled features</h2><ul>\(features)</ul></main>
            <footer>\(contact)</footer></body></html>
            """
    }
}
