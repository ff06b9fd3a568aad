import ClinicBox
import ClinicBoxCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// What every page shares: sign-in redirects, branding, navigation by feature and role, headers, static files,
/// and templates that can be replaced but never run unescaped user data.
@Suite struct PageFrameTests {
    static let password = TestUsers.password

    @Test func pagesNeedASessionAndComeBackAfterSignIn() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha")
        let server = try await workspace.server()
        try await server.addUser("desk@example.com", role: .staff, password: Self.password, to: ["alpha"])
        try await server.application.test(.router) { client in
            var browser = WebBrowser(client)
            let away = try await browser.get("/t/alpha/patients?q=ada")
            #expect(away.status == .seeOther)
            #expect(away.headers[.location] == "/t/alpha/login?next=/t/alpha/patients")
            let login = try await browser.get(try #require(away.headers[.location]))
            #expect(login.text.contains(#"name="next" value="/t/alpha/patients""#))
            let signedIn = try await browser.post(
                "/t/alpha/login",
                ["email": "desk@example.com", "password": Self.password, "next": "/t/alpha/patients"]
            )
            #expect(signedIn.headers[.location] == "/t/alpha/patients")
            // Never somewhere else: another site, or another tenant's pages.
            // Dot segments are resolved (after percent-decoding) before the check, as the browser would resolve them.
            for next in [
                "https://evil.example/", "//evil.example/", "/t/beta/", "/t/alpha/../beta/patients", "/t/alpha/%2e%2e/beta/patients",
                "/t/alpha/%2E%2E%2fbeta/", "/t/alpha/./../../t/beta/", "/t/alpha/..", "/t/alpha/%2F%2Fevil.example", "/t/alpha/\\evil",
                "/t/alpha/%0d%0aSet-Cookie:x",
            ] {
                var fresh = WebBrowser(client)
                try await fresh.get("/t/alpha/login")
                let answer = try await fresh.post("/t/alpha/login", ["email": "desk@example.com", "password": Self.password, "next": next])
                #expect(answer.headers[.location] == "/t/alpha/", "next=\(next)")
            }
            // Inside the tenant, a resolved path is kept.
            var inside = WebBrowser(client)
            try await inside.get("/t/alpha/login")
            let kept = try await inside.post(
                "/t/alpha/login",
                ["email": "desk@example.com", "password": Self.password, "next": "/t/alpha/admin/../patients/./"]
            )
            #expect(kept.headers[.location] == "/t/alpha/patients/")
        }
    }

    @Test func everyAnswerCarriesTheSecurityHeadersAndPatientPagesAreNeverCached() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha")
        let server = try await workspace.server { $0.trustProxy = true }
        try await server.addUser("desk@example.com", role: .staff, password: Self.password, to: ["alpha"])
        try await server.application.test(.router) { client in
            var browser = WebBrowser(client)
            try await browser.signIn(tenant: "alpha", email: "desk@example.com", password: Self.password)
            let list = try await browser.get("/t/alpha/patients")
            let missing = try await browser.get("/t/alpha/patients/999")
            let api = try await client.execute(uri: "/healthz", method: .get)
            for response in [list, missing, api] {
                let csp = try #require(response.headers[.contentSecurityPolicy])
                #expect(csp.contains("script-src 'self'") && csp.contains("style-src 'self'") && csp.contains("frame-ancestors 'none'"))
                #expect(!csp.contains("unsafe-inline"))
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "strict-origin-when-cross-origin")
                #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                #expect(response.headers[.strictTransportSecurity] == nil)  // plain HTTP
            }
            #expect(list.headers[.cacheControl] == "no-store")
            #expect(missing.status == .notFound && missing.headers[.cacheControl] == "no-store")
            // Branded like every other page of the tenant: its name in the title, its stylesheet.
            #expect(missing.text.contains("<title>Not found · Tenant alpha</title>") && missing.text.contains(#"href="/t/alpha/brand.css""#))
            #expect(!missing.text.contains("GRDB") && !missing.text.contains("SELECT"))
            let viaProxy = try await client.execute(uri: "/t/alpha/login", method: .get, headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
            #expect(viaProxy.headers[.strictTransportSecurity] == "max-age=31536000")
            // No inline style or script anywhere, error pages included, as the policy demands.
            for page in [list, missing] {
                #expect(!page.text.contains("<style") && !page.text.contains("style=") && !page.text.contains("<script"))
            }
        }
    }

    @Test func navigationShowsOnlyTheTenantsModulesAndAnAbsentModuleIsAForbiddenPage() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha")
        try workspace.writeTenant("beta", features: ["reports"])
        let server = try await workspace.server()
        try await server.addUser("desk@example.com", role: .staff, password: Self.password, to: ["alpha", "beta"])
        try await server.addUser("boss@example.com", role: .admin, password: Self.password, to: ["alpha"])
        try await server.application.test(.router) { client in
            var alpha = WebBrowser(client)
            try await alpha.signIn(tenant: "alpha", email: "desk@example.com", password: Self.password)
            let home = try await alpha.get("/t/alpha/")
            #expect(home.text.contains(#"<a href="/t/alpha/patients">Patients</a>"#))
            #expect(home.text.contains(#"<a href="/t/alpha/" aria-current="page">Home</a>"#))
            #expect(!home.text.contains("Administration"))  // staff are not admins
            #expect(home.text.contains(#"<span class="who">Desk <small>(staff)</small></span>"#), "the header names the user, not their email")

            // The bar is rendered once per role and section and kept: an admin's is not the desk's, and a module
            // switched on in the tenant file is in the bar after the reload.
            var admin = WebBrowser(client)
            try await admin.signIn(tenant: "alpha", email: "boss@example.com", password: Self.password)
            #expect(try await admin.get("/t/alpha/").text.contains(#"<a href="/t/alpha/admin">Administration</a>"#))
            #expect(!(try await alpha.get("/t/alpha/").text.contains("Administration")))
            try workspace.writeTenant("alpha", features: ["patients", "appointments"])
            await server.reloader.reload()
            let reloaded = try await alpha.get("/t/alpha/")
            #expect(reloaded.text.contains(#"<a href="/t/alpha/appointments">Appointments</a>"#) && !reloaded.text.contains("Administration"))

            var beta = WebBrowser(client)
            try await beta.signIn(tenant: "beta", email: "desk@example.com", password: Self.password)
            let betaHome = try await beta.get("/t/beta/")
            #expect(betaHome.status == .ok && !betaHome.text.contains(">Patients</a>"))
            let gated = try await beta.get("/t/beta/patients")
            #expect(gated.status == .forbidden)
            #expect(gated.headers[.contentType] == "text/html; charset=utf-8")
            #expect(gated.text.contains("feature &#39;patients&#39; is not enabled for tenant &#39;beta&#39;"))
        }
    }

    @Test func brandingMakesTwoTenantsLookDifferentWithReadableText() async throws {
        let workspace = try TestWorkspace()
        try workspace.write(
            "light",
            TestTenant.yaml(
                "light",
                name: "Light & Co",
                extra:
                    "branding: {company_name: Sunny Pharmacy, primary_color: \"#F5C518\", accent_color: \"#1B7F3B\"}\ncontact: {phone: \"+44 161 555 0199\", email: hello@sunny.example}"
            )
        )
        try workspace.write(
            "dark",
            TestTenant.yaml("dark", extra: "branding: {company_name: Night Clinic, primary_color: \"#1B1F3B\", accent_color: \"#F2B33D\"}")
        )
        let server = try await workspace.server()
        try await server.application.test(.router) { client in
            let light = try await client.execute(uri: "/t/light/brand.css", method: .get)
            let dark = try await client.execute(uri: "/t/dark/brand.css", method: .get)
            #expect(light.text.contains("--primary:#F5C518;--on-primary:#111418"))  // dark text on yellow
            #expect(dark.text.contains("--primary:#1B1F3B;--on-primary:#FFFFFF"))  // white text on navy
            let page = try await client.execute(uri: "/t/light/login", method: .get)
            #expect(page.text.contains("<title>Sign in · Light &amp; Co</title>"))
            #expect(page.text.contains("<span>Sunny Pharmacy</span>"))
            #expect(page.text.contains(#"<a href="tel:+441615550199">+44 161 555 0199</a>"#))
            #expect(page.text.contains(#"<a href="mailto:hello@sunny.example">hello@sunny.example</a>"#))
            #expect(page.text.contains(#"<link rel="icon" href="/static/favicon.svg">"#))
            let css = try await client.execute(uri: "/static/clinicbox.css", method: .get)
            #expect(css.status == .ok && css.headers[.contentType] == "text/css; charset=utf-8")
            let eTag = try #require(css.headers[.eTag])
            let again = try await client.execute(uri: "/static/clinicbox.css", method: .get, headers: [.ifNoneMatch: eTag])
            #expect(again.status == .notModified)
        }
    }

    @Test func templatesNeverRenderUserDataUnescaped() throws {
        let assets = AssetStore(overrideFolder: nil)
        let templates = assets.paths(under: "templates/", endingIn: ".mustache")
        #expect(templates.contains("templates/layout.mustache") && templates.contains("templates/patients/list.mustache"))
        for path in templates {
            let text = String(decoding: try #require(assets.contents(path)), as: UTF8.self)
            let raw = text.components(separatedBy: "{{{").dropFirst().map { String($0.prefix { $0 != "}" }) }
            // Only HTML that a template already rendered and escaped is inserted raw: the page body and the navigation
            // bar in the layout, list rows, a chart's timeline lines, panels, sections and forms' fields (each rendered by its own
            // template), a panel's figures and the dental plan's odontogram, drawn by `TrendChart` and `Odontogram`
            // from numbers with their labels escaped, and the enrolment page's QR code (`QRCode.svg`: squares, a fixed label).
            let allowed: [String: [String]] = [
                "templates/layout.mustache": ["navigation", "content"], "templates/printout.mustache": ["content"],
                "templates/patients/list.mustache": ["rows"],
                "templates/dashboard.mustache": ["lines"],
                "templates/admin/audit.mustache": ["rows"],
                "templates/clinical/show.mustache": [
                    "problemFields", "panels", "sectionsBeforeTimeline", "timeline", "allergyFields", "sectionsAfterDetails",
                ],
                "templates/patients/chart-merges.mustache": ["mergeFields"],
                "templates/clinical/chart-panel.mustache": ["svg"], "templates/treatments/plan.mustache": ["odontogram"],
                "templates/account/two-factor.mustache": ["qr"],
            ]
            #expect(raw == allowed[path, default: []], "\(path)")
            #expect(!text.contains("{{&"), "\(path)")
        }
    }

    @Test func anOverrideFolderReplacesATemplateAndABrokenOneIsReportedWithItsLine() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha")
        try FileManager.default.createDirectory(atPath: workspace.assets + "/templates", withIntermediateDirectories: true)
        try #"<p class="custom">Welcome to {{base}}</p>{{> login-form}}"#.write(
            toFile: workspace.assets + "/templates/login.mustache",
            atomically: true,
            encoding: .utf8
        )
        try "<form>{{csrf}}</form>".write(toFile: workspace.assets + "/templates/login-form.mustache", atomically: true, encoding: .utf8)
        let server = try await workspace.server()
        try await server.application.test(.router) { client in
            let page = try await client.execute(uri: "/t/alpha/login", method: .get)
            #expect(page.text.contains(#"<p class="custom">Welcome to /t/alpha</p><form>"#))
        }
        try "<p>\n  {{#open}} never closed\n</p>".write(toFile: workspace.assets + "/templates/login.mustache", atomically: true, encoding: .utf8)
        do {
            _ = try await workspace.server()
            Issue.record("a broken template must stop the server from starting")
        } catch let problem as PageRenderer.TemplateProblem {
            #expect(problem.file == "templates/login.mustache")
            #expect(problem.description.hasPrefix("templates/login.mustache:"))
        }
    }
}
