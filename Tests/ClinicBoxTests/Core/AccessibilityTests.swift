import ClinicBox
import ClinicBoxCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// What an accessibility audit found (issue #18, items 6–11), checked on the HTML and CSS the server sends.
/// The browser test runs axe-core over the rendered pages as well.
@Suite struct AccessibilityTests {
    /// WCAG 2.x relative luminance and contrast, written out here rather than borrowed from the code under test.
    static func contrast(_ a: String, _ b: String) -> Double {
        func luminance(_ hex: String) -> Double {
            let value = UInt32(hex.dropFirst(), radix: 16)!
            let channels = [16, 8, 0].map { shift -> Double in
                let c = Double((value >> UInt32(shift)) & 0xFF) / 255
                return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
            }
            return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
        }
        let (x, y) = (luminance(a), luminance(b))
        return (max(x, y) + 0.05) / (min(x, y) + 0.05)
    }

    /// The value of `name` in a `:root{…}` rule.
    static func property(_ name: String, in css: String) -> String? {
        guard let range = css.range(of: "--\(name):") else { return nil }
        return String(css[range.upperBound...].prefix { $0 != ";" && $0 != "}" })
    }

    static let exampleTenants = ClinicBoxBinary.packageRoot + "/tenants.d"

    @Test func theFocusRingStandsOutOnEveryExampleTenantsHeader() async throws {
        let examples = TenantCheck.run(tenantsFolder: Self.exampleTenants, assetsFolder: nil, catalog: .standard)
        #expect(examples.definitions.count == 3)
        let workspace = try TestWorkspace()
        for definition in examples.definitions.values {
            let id = definition.id.rawValue
            try workspace.write(id, TestTenant.yaml(id, extra: "branding: {primary_color: \"\(definition.branding.primaryColor)\"}"))
        }
        let server = try await workspace.server()
        try await server.application.test(.router) { client in
            let shared = try await client.execute(uri: "/static/clinicbox.css", method: .get).text
            #expect(shared.contains("header.brand :focus-visible{outline-color:var(--focus-on-primary)}"))
            for definition in examples.definitions.values {
                let css = try await client.execute(uri: "/t/\(definition.id)/brand.css", method: .get).text
                let primary = try #require(Self.property("primary", in: css))
                let ring = try #require(Self.property("focus-on-primary", in: css), "\(css)")
                #expect(primary == definition.branding.primaryColor)
                #expect(Self.contrast(ring, primary) >= 3, "\(definition.id): the ring \(ring) on \(primary) is \(Self.contrast(ring, primary)):1")
            }
        }
    }

    @Test func fieldBordersAreVisibleAndTextFollowsTheBrowsersFontSize() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha")
        let server = try await workspace.server()
        try await server.application.test(.router) { client in
            let css = try await client.execute(uri: "/static/clinicbox.css", method: .get).text
            let fields = try #require(css.split(separator: "\n").first { $0.hasPrefix("input,select,textarea{") })
            let border = try #require(fields.firstMatch(of: /border:1px solid (#[0-9a-fA-F]{6})/)?.1)
            let page = try #require(css.firstMatch(of: /body\{[^}]*background:(#[0-9a-fA-F]{6})/)?.1)
            #expect(Self.contrast(String(border), "#ffffff") >= 3 && Self.contrast(String(border), String(page)) >= 3, "field border \(border)")
            let body = try #require(css.firstMatch(of: /body\{[^}]*\}/)?.0)
            #expect(body.contains("font:100%/") && !body.contains("px"), "\(body)")
        }
    }

    @Test func everyScrollingRegionCanBeReachedByKeyboardAndHasAName() async throws {
        let workspace = try TestWorkspace()
        let (server, doc, _) = try await ClinicFixture.server(workspace)
        try await server.application.test(.router) { client in
            var admin = WebBrowser(client)
            _ = try await server.accounts("clinic").create(
                .init(email: "boss@example.com", displayName: "Boss", role: .admin, password: TestUsers.password),
                by: .commandLine
            )
            try await admin.signIn(tenant: "clinic", email: "boss@example.com", password: TestUsers.password)
            try await admin.get("/t/clinic/patients/new")
            try await admin.post("/t/clinic/patients", ["first_name": "Ada", "last_name": "Lovelace"])
            try await admin.get("/t/clinic/appointments/new")
            try await admin.post(
                "/t/clinic/appointments",
                ["patient": "P-000001", "practitioner_id": String(doc), "branch": "main", "start": "2030-12-03T09:00", "duration_minutes": "30"]
            )
            for uri in [
                "/t/clinic/patients", "/t/clinic/appointments?date=2030-12-03", "/t/clinic/appointments/1", "/t/clinic/admin/audit",
                "/t/clinic/admin/users", "/t/clinic/admin/settings",
            ] {
                let page = try await admin.get(uri)
                #expect(page.status == .ok, "\(uri)")
                let regions = page.text.matches(of: /<(div class="table-wrap"|pre class="[a-z]+")([^>]*)>/)
                #expect(!regions.isEmpty || !page.text.contains("<table"), "\(uri) has a table outside a region")
                #expect(
                    page.text.components(separatedBy: "<table").count - 1 <= page.text.components(separatedBy: #"class="table-wrap""#).count - 1,
                    "\(uri): every table is wrapped"
                )
                for region in regions {
                    let attributes = String(region.output.2)
                    #expect(
                        attributes.contains(#"tabindex="0""#) && attributes.contains(#"role="region""#) && attributes.contains("aria-label"),
                        "\(uri): \(region.output.0)"
                    )
                }
            }
        }
    }

    @Test func aRequiredChoiceStartsEmptyAndAnOptionalOneDoesNot() async throws {
        let workspace = try TestWorkspace()
        let (server, _, _) = try await ClinicFixture.server(workspace)
        try await server.application.test(.router) { client in
            var desk = WebBrowser(client)
            try await desk.signIn(tenant: "clinic", email: "doc@example.com", password: TestUsers.password)
            let form = try await desk.get("/t/clinic/appointments/new").text
            for name in ["practitioner_id", "branch", "duration_minutes"] {
                let select = try #require(
                    form.firstMatch(of: try Regex(#"<select id="\#(name)" name="\#(name)" required>(<option[^>]*>[^<]*</option>)"#)),
                    "\(name)"
                )
                #expect(
                    String(select.output[1].substring ?? "").hasPrefix(#"<option value="""#)
                        && select.output[1].substring?.hasSuffix(">Choose…</option>") == true,
                    "\(name)"
                )
            }
            #expect(form.contains(#"<option value="15" selected>15 minutes</option>"#), "the usual length stays chosen")
            let patient = try await desk.get("/t/clinic/patients/new").text
            #expect(patient.contains(#"<select id="sex" name="sex"><option value="" selected>—</option><option value="female">"#))
        }
    }

    @Test func aStatusChangeSaysWhatChangedAndReturnsToTheRow() async throws {
        let workspace = try TestWorkspace()
        let (server, doc, _) = try await ClinicFixture.server(workspace)
        try await server.application.test(.router) { client in
            var desk = WebBrowser(client)
            try await desk.signIn(tenant: "clinic", email: "desk@example.com", password: TestUsers.password)
            try await desk.get("/t/clinic/patients/new")
            try await desk.post("/t/clinic/patients", ["first_name": "Ada", "last_name": "Lovelace"])
            try await desk.get("/t/clinic/appointments/new")
            try await desk.post(
                "/t/clinic/appointments",
                ["patient": "P-000001", "practitioner_id": String(doc), "branch": "main", "start": "2030-12-03T09:00", "duration_minutes": "30"]
            )
            let day = try await desk.get("/t/clinic/appointments?date=2030-12-03")
            #expect(day.text.contains(#"<tr id="appointment-1" tabindex="-1">"#))
            let checkedIn = try await desk.post("/t/clinic/appointments/1/status", ["version": "1", "status": "checked_in"])
            let location = try #require(checkedIn.headers[.location])
            #expect(location == "/t/clinic/appointments?date=2030-12-03&changed=1#appointment-1")
            let after = try await desk.get(String(location.prefix { $0 != "#" }))
            #expect(after.text.contains(#"<p class="flash" role="status">Ada Lovelace (P-000001) at 09:00: checked in.</p>"#), "\(after.text)")
        }
    }
}
