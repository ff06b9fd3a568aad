import ClinicBoxCore
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

/// Break-glass: a front-desk user of another branch opens one chart for an hour by saying why; it is audited, the
/// chart says so, and every admin is told until one reviews it.
@Suite struct EmergencyAccessTests {
    static let branches = "branches:\n  - code: main\n    name: Main\n  - code: north\n    name: North\n"
    static let people = [
        ClinicScenario.Person(email: "admin@example.com", name: "Ada Admin", role: .admin),
        ClinicScenario.Person(email: "clinician@example.com", name: "Dr Amina Njoroge", role: .clinician, branches: ["main"]),
        ClinicScenario.Person(email: "north@example.com", name: "Peter North", role: .staff, branches: ["north"]),
    ]

    /// A patient with a problem and a visit at main, as the clinician of main records them; answers the patient's id.
    static func patientSeenAtMain(_ session: ClinicScenario.Session) async throws -> Int {
        let doctor = try await session.signIn("clinician@example.com")
        let patient = try await session.patient(as: doctor)
        _ = try await doctor.create("patients/\(patient)/problems", ["description": "Asthma"])
        _ = try await doctor.create("visits", ["patient_id": patient, "branch": "main", "pulse": 72])
        return patient
    }

    static func titles(_ chart: [String: Any]) -> [String] { (chart["timeline"] as? [[String: Any]])?.compactMap { $0["title"] as? String } ?? [] }

    @Test func aStaffUserOfAnotherBranchOpensOneChartForAnHourAndTheAdminsAreTold() async throws {
        let clinic = try await ClinicScenario(features: ["patients", "appointments", "visits"], extra: Self.branches, people: Self.people)
        try await clinic.run { session in
            let patient = try await Self.patientSeenAtMain(session)
            let other = try await session.patient(
                as: try await session.signIn("clinician@example.com"),
                ["first_name": "Other", "last_name": "Person"]
            )
            let desk = try await session.signIn("north@example.com")
            let before = try await desk.get("patients/\(patient)/chart").json
            #expect(before["problems"] == nil && Self.titles(before).isEmpty)

            // On the page: the offer, a reason too short refused beside its field, then the whole chart with a banner.
            var browser = WebBrowser(session.client)
            try await browser.signIn(tenant: "clinic", email: "north@example.com", password: TestUsers.password)
            let chart = try await browser.get("/t/clinic/patients/\(patient)").cells
            #expect(chart.contains(#"<a href="/t/clinic/patients/\#(patient)/emergency-access">Emergency access to the whole chart</a>"#))
            #expect(!chart.contains("Asthma") && !chart.contains("V-000001"))
            let form = try await browser.get("/t/clinic/patients/\(patient)/emergency-access")
            #expect(form.status == .ok && form.text.contains("for\n60 minutes by saying why"))
            let short = try await browser.post("/t/clinic/patients/\(patient)/emergency-access", ["reason": "urgent"])
            #expect(short.status == .unprocessableContent)
            #expect(
                short.cells.contains("say in a few words why you need this chart now (at least 10 characters)")
                    && short.cells.contains(">urgent</textarea>")
            )
            let opened = try await browser.post(
                "/t/clinic/patients/\(patient)/emergency-access",
                ["reason": "Collapsed at the north desk, needs her history"]
            )
            #expect(opened.status == .seeOther && opened.headers[.location] == "/t/clinic/patients/\(patient)")
            let whole = try await browser.get("/t/clinic/patients/\(patient)").cells
            #expect(whole.contains("Emergency access until ") && whole.contains(": Collapsed at the north desk, needs her history."))
            #expect(whole.contains("Asthma") && whole.contains("V-000001") && !whole.contains("Emergency access to the whole chart"))

            // The API reads the same chart now; another patient's stays as it was.
            let after = try await desk.get("patients/\(patient)/chart").json
            #expect(after["problems"] != nil && Self.titles(after).contains("Visit V-000001"))
            #expect(try await desk.get("patients/\(other)/chart").json["problems"] == nil)
            // Only to read: writing clinical content is still refused.
            #expect(try await desk.post("patients/\(patient)/problems", ["description": "Fainting"]).status == .forbidden)

            // An hour exactly, audited as its own action, and every view in it recorded.
            let database = try await clinic.server.databases.database(for: TenantID("clinic")!, creating: false)
            let (started, ends) = try #require(
                try await database.read { db in
                    try Row.fetchOne(db, sql: "SELECT started_at, ends_at FROM emergency_access").map {
                        ($0["started_at"] as String, $0["ends_at"] as String)
                    }
                }
            )
            let seconds = try Date(ends, strategy: .iso8601).timeIntervalSince(try Date(started, strategy: .iso8601))
            #expect(seconds == 3600)
            let admin = try await session.signIn(as: .admin)
            let audit = try await admin.get("audit?action=chart.emergency_access").json["entries"] as? [[String: Any]] ?? []
            #expect(audit.count == 1 && audit.first?["user_email"] as? String == "north@example.com")
            let reasons = String(describing: audit.first?["changes"] ?? "")
            #expect(reasons.contains("Collapsed at the north desk"))
            let views =
                try await admin.get("audit?action=patients.chart_viewed&entity_id=\(patient)&limit=50").json["entries"] as? [[String: Any]] ?? []
            let emergencyViews = views.filter { entry in String(describing: entry["changes"] ?? "").contains("emergency access") }
            #expect(emergencyViews.count == 2, "the page and the API")

            // The grant cannot be stretched or removed.
            await #expect(throws: (any Error).self) {
                try await database.write { db in try db.execute(sql: "UPDATE emergency_access SET ends_at = '2999-01-01T00:00:00Z'") }
            }
            // A grant whose hour is over opens nothing.
            try await database.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO emergency_access (user_id, patient_id, reason, started_at, ends_at)
                        SELECT id, ?, 'an hour that has passed', '2020-01-01T10:00:00Z', '2020-01-01T11:00:00Z' FROM users WHERE email = 'north@example.com'
                        """,
                    arguments: [other]
                )
            }
            #expect(try await desk.get("patients/\(other)/chart").json["problems"] == nil)

            // Every admin sees it on the dashboard until one reviews it with a note.
            var boss = WebBrowser(session.client)
            try await boss.signIn(tenant: "clinic", email: "admin@example.com", password: TestUsers.password)
            let home = try await boss.get("/t/clinic/").cells
            #expect(home.contains("Emergency access to review") && home.contains("<strong>Peter North</strong> (staff) opened the whole chart of"))
            #expect(home.contains("“Collapsed at the north desk, needs her history”") && home.contains("an hour that has passed"))
            let reviewPath = try #require(home.ranges(of: /\/t\/clinic\/emergency-access\/(\d+)\/review/).map { String(home[$0]) }.last)
            let empty = try await boss.post(reviewPath, ["note": " "])
            #expect(empty.status == .unprocessableContent && empty.cells.contains("write what you found (1 to 1000 characters)"))
            let done = try await boss.post(reviewPath, ["note": "Called Peter: the patient was brought in by ambulance. Fine."])
            #expect(done.status == .seeOther && done.headers[.location] == "/t/clinic/?done=reviewed")
            let later = try await boss.get("/t/clinic/?done=reviewed").cells
            #expect(later.contains("Marked reviewed.") && !later.contains("Collapsed at the north desk"))
            #expect(try await boss.post(reviewPath, ["note": "again"]).status == .notFound)
            let reviewed = try await admin.get("audit?action=chart.emergency_access_reviewed").json["entries"] as? [[String: Any]] ?? []
            #expect(reviewed.count == 1)
            // The desk cannot review it.
            try await browser.get("/t/clinic/")
            #expect(try await browser.post(reviewPath, ["note": "nothing to see"]).status == .forbidden)
        }
    }

    @Test func theTenantFileSwitchesItOffForARoleAndKeysNeverHaveIt() async throws {
        let clinic = try await ClinicScenario(
            features: ["patients", "appointments", "visits"],
            extra: Self.branches + "security:\n  emergency_access: [clinician]\n",
            people: Self.people
        )
        try await clinic.run { session in
            let patient = try await Self.patientSeenAtMain(session)
            let desk = try await session.signIn("north@example.com")
            let refused = try await desk.post("patients/\(patient)/emergency-access", ["reason": "Collapsed at the north desk"])
            #expect(refused.status == .forbidden && refused.json["title"] as? String == "Emergency access is off")
            var browser = WebBrowser(session.client)
            try await browser.signIn(tenant: "clinic", email: "north@example.com", password: TestUsers.password)
            #expect(!(try await browser.get("/t/clinic/patients/\(patient)").cells.contains("Emergency access")))

            let admin = try await session.signIn(as: .admin)
            let key = try #require(try await admin.create("auth/api-keys", ["name": "kiosk", "actions": ["patients.read"]])["token"] as? String)
            let kiosk = APIClient(client: session.client, tenant: "clinic", token: key)
            #expect(try await kiosk.post("patients/\(patient)/emergency-access", ["reason": "Collapsed at the north desk"]).status == .forbidden)
            // An admin sees the whole chart already.
            #expect(try await admin.post("patients/\(patient)/emergency-access", ["reason": "Collapsed at the north desk"]).status == .conflict)
        }
    }
}
