import Foundation
import GRDB
import HummingbirdTesting
import Testing

@testable import ClinicBox
@testable import ClinicBoxCore

/// A safer front desk (issue #31, item 7): a no-show only after the appointment's start, asked first and undone on
/// the day; the booking form names the chosen patient; a visit signed from an appointment completes it, so the desk
/// is no longer offered to cancel it.
@Suite struct FrontDeskSafetyTests {
    /// Today at `time` where the clinic is (Berlin), as the booking form writes it.
    static func today(_ time: String) -> String {
        "\(CalendarDate.today(in: TimeZone(identifier: "Europe/Berlin")!))T\(time)"
    }

    @Test func aNoShowComesOnlyAfterTheStartIsAskedFirstAndCanBeUndoneOnTheDay() async throws {
        let workspace = try TestWorkspace()
        let (server, doc, _) = try await ClinicFixture.server(workspace)
        try await server.application.test(.router) { client in
            let desk = try await APIClient.signIn(client, tenant: "clinic", email: "desk@example.com")
            let patient = try #require(try await desk.create("patients", TestRecords.ada)["id"] as? Int)
            let later = try #require(try await desk.create("appointments", ClinicFixture.booking(patient, doc, "2030-01-07T09:00"))["id"] as? Int)
            let early = try await desk.patch("appointments/\(later)", ["version": 1, "status": "no_show"])
            #expect(early.status == .unprocessableContent)
            #expect(early.fieldErrors["status"] == "the appointment starts 7 Jan 2030, 09:00; a patient is marked as not attended only after that")
            let past = try #require(
                try await desk.create("appointments", ClinicFixture.booking(patient, doc, Self.today("00:00"), minutes: 15))["id"] as? Int
            )

            var browser = WebBrowser(client)
            try await browser.signIn(tenant: "clinic", email: "desk@example.com", password: TestUsers.password)
            let day = try await browser.get("/t/clinic/appointments").text
            let row = try #require(day.range(of: "appointment-\(past)").map { String(day[$0.lowerBound...].prefix(3000)) })
            #expect(row.contains(">No-show</button>"))
            let asked = try await browser.post("/t/clinic/appointments/\(past)/status", ["version": "1", "status": "no_show"])
            #expect(asked.status == .seeOther && asked.headers[.location] == "/t/clinic/appointments/\(past)/no-show", "one click never marks it")
            let confirm = try await browser.get("/t/clinic/appointments/\(past)/no-show")
            #expect(confirm.text.contains("Mark Ada Lovelace (P-000001) as not attending the appointment on"))
            let marked = try await browser.post("/t/clinic/appointments/\(past)/status", ["version": "1", "status": "no_show", "confirmed": "yes"])
            #expect(marked.status == .seeOther)
            #expect(try await desk.get("appointments/\(past)").json["status"] as? String == "no_show")
            // The patient turns up after all: restored the same day, then checked in.
            let afterwards = try await browser.get("/t/clinic/appointments").text
            #expect(afterwards.contains(">Restore</button>"))
            #expect(try await desk.patch("appointments/\(past)", ["version": 2, "status": "scheduled"]).status == .ok)
            #expect(try await desk.patch("appointments/\(past)", ["version": 3, "status": "checked_in"]).status == .ok)
            #expect(try await browser.get("/t/clinic/appointments/\(later)/no-show").status == .conflict)
        }
    }

    @Test func theBookingFormNamesThePatientChosen() async throws {
        let workspace = try TestWorkspace()
        let (server, doc, _) = try await ClinicFixture.server(workspace)
        try await server.application.test(.router) { client in
            let desk = try await APIClient.signIn(client, tenant: "clinic", email: "desk@example.com")
            _ = try await desk.create("patients", TestRecords.ada)
            var browser = WebBrowser(client)
            try await browser.signIn(tenant: "clinic", email: "desk@example.com", password: TestUsers.password)
            let opened = try await browser.get("/t/clinic/appointments/new?patient=P-000001").text
            #expect(opened.contains(#"<p class="chosen-patient" id="patient-chosen">For <strong>Ada Lovelace</strong>"#))
            // Sent with a mistake elsewhere, the form comes back still naming the patient.
            let refused = try await browser.post(
                "/t/clinic/appointments",
                ["patient": "P-000001", "practitioner_id": String(doc), "branch": "main", "start": "", "duration_minutes": "30"]
            )
            #expect(refused.status == .unprocessableContent && refused.text.contains("For <strong>Ada Lovelace</strong>"))
        }
    }

    @Test func signingTheVisitCompletesItsAppointmentSoItIsNoLongerOfferedToCancel() async throws {
        let scenario = try await ClinicScenario(tenant: "clinic") { try await VisitsAPITests.server($0) }
        let server = scenario.server
        try await scenario.run { session in
            let doc = try await session.signIn("doc@example.com")
            let desk = try await session.signIn("desk@example.com")
            let (_, appointment) = try await VisitsAPITests.checkedIn(desk, doctor: try await VisitsAPITests.userID(server, "doc@example.com"))
            let visit = try #require(try await doc.create("visits", ["appointment_id": appointment, "pulse": 70])["id"] as? Int)
            #expect(try await desk.get("appointments/\(appointment)").json["status"] as? String == "checked_in")
            #expect(try await doc.post("visits/\(visit)/sign", [:]).status == .ok)
            #expect(try await desk.get("appointments/\(appointment)").json["status"] as? String == "completed")
            var browser = WebBrowser(session.client)
            try await browser.signIn(tenant: "clinic", email: "desk@example.com", password: TestUsers.password)
            let page = try await browser.get("/t/clinic/appointments/\(appointment)").text
            #expect(!page.contains("/appointments/\(appointment)/cancel"))
            #expect(try await browser.get("/t/clinic/appointments/\(appointment)/cancel").status == .conflict)
        }
    }
}
