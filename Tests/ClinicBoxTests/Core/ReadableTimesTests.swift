import Foundation
import HummingbirdTesting
import Testing

@testable import ClinicBox
@testable import ClinicBoxCore

/// Moments on pages and printouts are the tenant's local time, day first, without seconds: never a stored UTC
/// timestamp (`2026-12-01T09:52:24.242Z`).
@Suite struct ReadableTimesTests {
    static let storedTimestamp = #"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}"#

    @Test func momentsAreShownInTheTenantsZone() {
        let berlin = ReadableTime(timeZone: TimeZone(identifier: "Europe/Berlin")!)
        #expect(berlin.moment("2026-12-01T09:52:24.242Z") == "1 Dec 2026, 10:52")
        #expect(berlin.moment("2026-07-01T22:30:00Z") == "2 Jul 2026, 00:30")  // summer time, the next local day
        #expect(berlin.moment("2026-03-29T01:00:00Z") == "29 Mar 2026, 03:00")  // just after the clocks go forward
        #expect(berlin.clock("2026-12-01T09:52:24Z") == "10:52")
        let nairobi = ReadableTime(timeZone: TimeZone(identifier: "Africa/Nairobi")!)
        #expect(nairobi.moment("2026-12-31T22:15:00Z") == "1 Jan 2027, 01:15")
        let utc = ReadableTime(timeZone: TimeZone(identifier: "UTC")!)
        #expect(utc.moment("1969-12-31T23:59:00Z") == "31 Dec 1969, 23:59")
        #expect(berlin.moment("2030-01-07T10:30") == "7 Jan 2030, 10:30")  // already local, as appointments are written
        #expect(berlin.moment("not a time") == "not a time")
        // The day arithmetic underneath agrees with the calendar over four centuries.
        var date = CalendarDate(year: 1900, month: 1, day: 1)
        for _ in 0..<(400 * 365 + 97) {
            let next = date.adding(days: 1)
            #expect(CalendarDate(daysSinceEpoch: date.daysSinceEpoch + 1) == next && next > date)
            date = next
        }
        #expect(date == CalendarDate(year: 2300, month: 1, day: 1))
    }

    /// The audit log, the dashboard, an appointment's history, the API keys page and a receipt, in Berlin.
    @Test func noPageShowsAStoredTimestamp() async throws {
        let workspace = try TestWorkspace()
        let (server, doc, _) = try await ClinicFixture.server(workspace)
        try await server.addUser("boss@example.com", role: .admin, password: TestUsers.password, to: ["clinic"])
        try await server.application.test(.router) { client in
            let desk = try await APIClient.signIn(client, tenant: "clinic", email: "desk@example.com")
            let patient = try await desk.create("patients", ["first_name": "Hans", "last_name": "Müller"])["id"]!
            let appointment = try await desk.create("appointments", ClinicFixture.booking(patient, doc, "2030-01-07T10:30"))
            let id = try #require(appointment["id"] as? Int)
            #expect(try await desk.patch("appointments/\(id)", ["version": 1, "status": "checked_in"]).status == .ok)

            var boss = WebBrowser(client)
            try await boss.signIn(tenant: "clinic", email: "boss@example.com", password: TestUsers.password)
            _ = try await boss.get("/t/clinic/admin/api-keys")
            #expect(try await boss.post("/t/clinic/admin/api-keys", ["name": "lab", "scope": "everything"]).status == .created)
            let now = ReadableTime(timeZone: TimeZone(identifier: "Europe/Berlin")!).moment(Timestamp.now)
            for path in ["/t/clinic/", "/t/clinic/admin/audit", "/t/clinic/appointments/\(id)", "/t/clinic/admin/api-keys"] {
                let page = try await boss.get(path)
                #expect(page.status == .ok, "\(path)")
                #expect(page.text.range(of: Self.storedTimestamp, options: .regularExpression) == nil, "\(path) shows a stored timestamp")
                #expect(page.text.contains(String(now.prefix(11))), "\(path) shows today as \(now)")
            }
            #expect(try await boss.get("/t/clinic/appointments/\(id)").text.contains("<th scope=\"col\">When</th>"))
        }
    }
}

/// Amounts as people read them on pages and paper: thousands separated, the plain digits kept for forms and CSV.
@Suite struct ReadableAmountsTests {
    @Test func thousandsAreSeparated() {
        #expect(Money.format(1_500_000, currency: "KES") == "KES 15,000.00")
        #expect(Money.format(99_999, currency: "KES") == "KES 999.99")
        #expect(Money.format(-123_456_789, currency: "EUR") == "EUR -1,234,567.89")
        #expect(Money.format(1_000, currency: "JPY") == "JPY 1,000")
        #expect(Money.number(1_500_000, currency: "KES") == "15000.00")
        #expect(Money.parse(Money.format(1_500_000, currency: "KES").dropFirst(4).description, currency: "KES") == 1_500_000)
    }
}
