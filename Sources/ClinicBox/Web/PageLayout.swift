import Hummingbird

/// The frame every server-rendered page shares: the tenant's name, colours and logo, and its contact details.
/// (Mustache templates replace this with the pages work; until then every value is escaped here.)
enum PageLayout {
    static func render(_ tenant: TenantDefinition, title: String, body: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        let branding = tenant.branding
        let logo = branding.logo == nil ? "" : "<img src=\"/api/tenants/\(tenant.id)/logo\" alt=\"\" height=\"48\">"
        let contact = [tenant.contact.phone, tenant.contact.email, tenant.contact.address].compactMap { $0 }.map(HTML.escape).joined(separator: " · ")
        let html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTML.escape(title)) · \(HTML.escape(tenant.name))</title>
            <style>:root{--primary:\(branding.primaryColor);--accent:\(branding.accentColor)}
            body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1d2430}
            header{display:flex;gap:1rem;align-items:center;padding:1rem 1.5rem;border-bottom:4px solid var(--accent)}
            main{max-width:48rem;margin:2rem auto;padding:0 1.5rem}h1{color:var(--primary);margin:0;font-size:1.5rem}
            label{display:block;margin:.75rem 0 .25rem}input{font:inherit;padding:.4rem;width:100%;max-width:24rem}
            button{font:inherit;margin-top:1rem;padding:.4rem 1rem}.error{color:#a40000}
            footer{max-width:48rem;margin:2rem auto;padding:0 1.5rem;color:#5b6473;font-size:.875rem}</style></head>
            <body><header>\(logo)<h1>\(HTML.escape(branding.companyName))</h1></header>
            <main>\(body)</main><footer>\(contact)</footer></body></html>
            """
        var headers = headers
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
