import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ClinicBox
@testable import ClinicBoxCore

/// Booking and the day's appointments as a receptionist uses them.
@Suite struct AppointmentPagesTests {
    @Test func aReceptionistBooksChecksInAndCannotDoubleBook() async throws {
        let workspace = try TestWorkspace()
        let (server, doc, nurse) = try await ClinicFixture.server(workspace)
        try await server.application.test(.router) { client in
            var desk = WebBrowser(client)
            try await desk.signIn(tenant: "clinic", email: "desk@example.com", password: TestUsers.password)
            try await desk.get("/t/clinic/patients/new")
            try await desk.post("/t/clinic/patients", ["first_name": "Ada", "last_name": "Lovelace"])

            let form = try await desk.get("/t/clinic/appointments/new")
            #expect(form.cells.contains(#"<option value="\#(doc)">doc@example.com</option>"#))
            #expect(form.cells.contains(#"<option value="main" selected>Main</option>"#))  // desk works only at main
            #expect(!form.cells.contains(#"<option value="north""#))

            let bad = try await desk.post(
                "/t/clinic/appointments",
                ["patient": "P-999999", "practitioner_id": "", "branch": "main", "start": "2030-12-03T09:00", "duration_minutes": "30"]
            )
            #expect(bad.status == .unprocessableContent)
            #expect(
                bad.cells.contains("no patient matches “P-999999”; check the spelling, or register the patient first")
                    && bad.cells.contains(#"id="practitioner_id-error""#)
            )
            #expect(bad.cells.contains(#"value="P-999999""#) && bad.cells.contains(#"value="2030-12-03T09:00""#))

            let booking = [
                "patient": "p-000001", "practitioner_id": String(doc), "branch": "main", "start": "2030-12-03T09:00", "duration_minutes": "30",
                "reason": "check-up",
            ]
            let booked = try await desk.post("/t/clinic/appointments", booking)
            #expect(booked.headers[.location] == "/t/clinic/appointments?date=2030-12-03&booked=1")
            let day = try await desk.get("/t/clinic/appointments?date=2030-12-03&booked=1")
            #expect(
                day.cells.contains("Appointment booked.") && day.cells.contains(">09:00 (30 min)</a></td>")
                    && day.cells.contains(#"Ada Lovelace <span class="nowrap">(P-000001)</span>"#)
            )
            #expect(day.cells.contains(">Check in</button>") && !day.cells.contains(">No-show</button>"), "nobody is a no-show before their time")

            var clash = booking
            clash["start"] = "2030-12-03T09:15"
            let refused = try await desk.post("/t/clinic/appointments", clash)
            #expect(refused.status == .conflict)
            #expect(refused.cells.contains("has an appointment at 3 Dec 2030, 09:00") && refused.cells.contains("overlaps another appointment"))

            var elsewhere = booking
            elsewhere["branch"] = "north"
            elsewhere["practitioner_id"] = String(nurse)
            #expect(try await desk.post("/t/clinic/appointments", elsewhere).cells.contains("you may book only in main"))

            // Check in, then complete: each button moves the status one step, and a finished one offers none.
            let id = try #require(
                day.cells.range(of: #"/appointments/(\d+)/status"#, options: .regularExpression).map {
                    String(day.cells[$0].dropFirst(14).prefix { $0.isNumber })
                }
            )

            // Rescheduled to 10:00 for 45 minutes; the patient stays.
            let edit = try await desk.get("/t/clinic/appointments/\(id)/edit")
            #expect(edit.cells.contains("Patient P-000001") && edit.cells.contains(#"value="2030-12-03T09:00""#))
            var moved = booking
            moved["start"] = "2030-12-03T10:00"
            moved["duration_minutes"] = "45"
            moved["version"] = "1"
            #expect(try await desk.post("/t/clinic/appointments/\(id)", moved).headers[.location] == "/t/clinic/appointments?date=2030-12-03")
            #expect(try await desk.get("/t/clinic/appointments?date=2030-12-03").cells.contains(">10:00 (45 min)</a></td>"))
            // Checked in from the appointment's own page, which it returns to, with the history so far.
            let page = try await desk.get("/t/clinic/appointments/\(id)")
            #expect(
                page.cells.contains("Appointment on 3 Dec 2030 at 10:00 (45 min)") && page.cells.contains("Ada Lovelace (P-000001)")
                    && page.cells.contains("check-up")
            )
            #expect(page.cells.contains(#"name="from" value="detail""#) && page.cells.contains(">Reschedule</a>"))
            let checkedIn = try await desk.post("/t/clinic/appointments/\(id)/status", ["version": "2", "status": "checked_in", "from": "detail"])
            #expect(checkedIn.headers[.location] == "/t/clinic/appointments/\(id)?changed=1")
            let history = try await desk.get("/t/clinic/appointments/\(id)").cells
            #expect(history.contains("checked in") && !history.contains(">Reschedule</a>"))
            #expect(history.contains("<td>desk@example.com booked Ada Lovelace (P-000001) for 3 Dec 2030, 10:00</td>"))
            #expect(
                history.contains(
                    "moved the appointment of Ada Lovelace (P-000001) for 3 Dec 2030, 10:00</td><td>duration minutes: 30 → 45; starts at: 3 Dec 2030, 09:00 → 3 Dec 2030, 10:00</td>"
                )
            )
            #expect(
                history.contains(
                    "<td>desk@example.com checked in Ada Lovelace (P-000001) for 3 Dec 2030, 10:00</td><td>status: scheduled → checked in</td>"
                )
            )
            let stale = try await desk.post("/t/clinic/appointments/\(id)/status", ["version": "2", "status": "completed"])
            #expect(stale.status == .conflict)
            #expect(try await desk.post("/t/clinic/appointments/\(id)/status", ["version": "3", "status": "completed"]).status == .seeOther)
            let done = try await desk.get("/t/clinic/appointments?date=2030-12-03")
            let badDay = try await desk.get("/t/clinic/appointments?date=2026-02-30")
            #expect(badDay.status == .badRequest && badDay.cells.contains("is not a date; write it as YYYY-MM-DD"))
            #expect(
                done.cells.contains(#"<span class="badge">completed</span>"#) && !done.cells.contains(">Check in</button>")
                    && !done.cells.contains("Reschedule")
            )
        }
    }

    /// Cancelling asks first, with a reason the history shows, and can be undone the same day.
    @Test func cancellingAsksForAReasonAndCanBeUndoneTheSameDay() async throws {
        let workspace = try TestWorkspace()
        let (server, doc, _) = try await ClinicFixture.server(workspace)
        try await server.application.test(.router) { client in
            let api = try await APIClient.signIn(client, tenant: "clinic", email: "desk@example.com")
            let patient = try await api.create("patients", ["first_name": "Ada", "last_name": "Lovelace"])["id"]!
            let id = try #require(try await api.create("appointments", ClinicFixture.booking(patient, doc, "2030-01-07T09:00"))["id"] as? Int)
            var desk = WebBrowser(client)
            try await desk.signIn(tenant: "clinic", email: "desk@example.com", password: TestUsers.password)

            let day = try await desk.get("/t/clinic/appointments?date=2030-01-07")
            #expect(day.cells.contains(#"<a href="/t/clinic/appointments/\#(id)/cancel">Cancel appointment</a>"#))
            #expect(!day.cells.contains(">Cancel</button>") && !day.cells.contains(#"name="status" value="cancelled""#), "no one-click cancel")
            // A hand-made one-click cancel is sent to the question too.
            #expect(
                try await desk.post("/t/clinic/appointments/\(id)/status", ["version": "1", "status": "cancelled"]).headers[.location]
                    == "/t/clinic/appointments/\(id)/cancel"
            )

            let question = try await desk.get("/t/clinic/appointments/\(id)/cancel")
            #expect(question.cells.contains("Cancel the appointment of Ada Lovelace (P-000001) on 7 Jan 2030, 09:00?"))
            #expect(
                question.cells.contains(">Keep the appointment</a>")
                    && question.cells.contains(#"<button type="submit" class="danger">Cancel appointment</button>"#)
            )
            let noReason = try await desk.post("/t/clinic/appointments/\(id)/cancel", ["version": "1", "cancel_reason": "  "])
            #expect(noReason.status == .unprocessableContent && noReason.cells.contains(#"id="cancel_reason-error">say why, for the history"#))
            #expect(try await api.get("appointments/\(id)").json["status"] as? String == "scheduled", "nothing changed")

            let cancelled = try await desk.post("/t/clinic/appointments/\(id)/cancel", ["version": "1", "cancel_reason": "Patient has the flu"])
            #expect(cancelled.headers[.location] == "/t/clinic/appointments?date=2030-01-07&changed=\(id)#appointment-\(id)")
            let after = try await desk.get("/t/clinic/appointments?date=2030-01-07&changed=\(id)")
            #expect(after.cells.contains("Ada Lovelace (P-000001) at 09:00: cancelled.") && after.cells.contains(">Restore</button>"))
            let page = try await desk.get("/t/clinic/appointments/\(id)")
            #expect(page.cells.contains("<dt>Cancelled because</dt><dd>Patient has the flu</dd>"))
            #expect(page.cells.contains("status: scheduled → cancelled") && page.cells.contains("cancel reason: Patient has the flu"))

            let restored = try await desk.post("/t/clinic/appointments/\(id)/status", ["version": "2", "status": "scheduled"])
            #expect(restored.status == .seeOther)
            let json = try await api.get("appointments/\(id)").json
            #expect(json["status"] as? String == "scheduled" && json["cancel_reason"] is NSNull && json["version"] as? Int == 3)
            #expect(try await desk.get("/t/clinic/appointments/\(id)").cells.contains("status: cancelled → scheduled"))
        }
    }

    /// Booking offers only those who see patients — clinicians, and users an admin marks — and asks before a
    /// time that has passed.
    @Test func bookingOffersPractitionersAndAsksBeforeAPassedTime() async throws {
        let workspace = try TestWorkspace()
        let (server, doc, nurse) = try await ClinicFixture.server(workspace)
        try await server.addUser("boss@example.com", name: "Dr Amina Njoroge", role: .admin, password: TestUsers.password, to: ["clinic"])
        try await server.application.test(.router) { client in
            let api = try await APIClient.signIn(client, tenant: "clinic", email: "desk@example.com")
            let patient = try await api.create("patients", ["first_name": "Ada", "last_name": "Lovelace"])["id"]!
            var boss = WebBrowser(client)
            try await boss.signIn(tenant: "clinic", email: "boss@example.com", password: TestUsers.password)
            let accounts = try await server.accounts("clinic")
            let (bossID, deskID) = (
                try #require(try await accounts.user(email: "boss@example.com")?.id),
                try #require(try await accounts.user(email: "desk@example.com")?.id)
            )

            let form = try await boss.get("/t/clinic/appointments/new").cells
            let select = try #require(form.firstMatch(of: /<select id="practitioner_id".*?<\/select>/)?.output)
            let offered = select.matches(of: /<option value="(\d+)">/).map { Int64($0.output.1)! }
            #expect(Set(offered) == [doc, nurse], "only the clinicians, not the receptionist or the admin")
            let refused = try await api.post("appointments", ClinicFixture.booking(patient, deskID, "2030-01-07T09:00"))
            #expect(refused.status == .unprocessableContent)
            #expect(
                refused.fieldErrors["practitioner_id"]
                    == "desk@example.com does not see patients (clinicians do, and users an admin marks as practitioners)"
            )

            // The admin is the practice's dentist: one tick on her user page and she is offered.
            let edit = try await boss.get("/t/clinic/admin/users/\(bossID)/edit")
            #expect(edit.cells.contains(#"name="practitioner" type="checkbox" value="true">"#) && edit.cells.contains(#"value="Dr Amina Njoroge""#))
            #expect(
                try await boss.post(
                    "/t/clinic/admin/users/\(bossID)/edit",
                    ["display_name": "Dr Amina Njoroge", "role": "admin", "practitioner": "true"]
                ).status == .seeOther
            )
            #expect(try await boss.get("/t/clinic/admin/users").cells.contains("<td>Dr Amina Njoroge</td><td>admin, sees patients</td>"))
            #expect(try await boss.get("/t/clinic/appointments/new").cells.contains(#"<option value="\#(bossID)">Dr Amina Njoroge</option>"#))

            // A time that has passed: the form asks for a tick and keeps what was typed; with it, the booking is made.
            let zone = TimeZone(identifier: "Europe/Berlin")!
            let yesterday = CalendarDate.today(in: zone).adding(days: -1)
            let booking = [
                "patient": "P-000001", "practitioner_id": String(bossID), "branch": "main", "start": "\(yesterday)T09:00", "duration_minutes": "30",
                "reason": "toothache",
            ]
            let asked = try await boss.post("/t/clinic/appointments", booking)
            #expect(asked.status == .unprocessableContent)
            let when = "\(ReadableTime.day(yesterday)), 09:00"
            #expect(
                asked.cells.contains(
                    #"id="start-error">\#(when) has passed; to record an appointment that took place, tick “Book a time that has passed”"#
                )
            )
            #expect(asked.cells.contains(#"name="confirm_past" type="checkbox" value="true">"#) && asked.cells.contains(">toothache</textarea>"))
            var confirmed = booking
            confirmed["confirm_past"] = "true"
            #expect(
                try await boss.post("/t/clinic/appointments", confirmed).headers[.location] == "/t/clinic/appointments?date=\(yesterday)&booked=1"
            )

            // Rescheduling into the past asks the same; an appointment already in the past keeps its time unasked.
            let future = try #require(try await api.create("appointments", ClinicFixture.booking(patient, doc, "2030-01-07T09:00"))["id"] as? Int)
            let moved = ["practitioner_id": String(doc), "branch": "main", "start": "\(yesterday)T11:00", "duration_minutes": "30", "version": "1"]
            #expect(
                try await boss.post("/t/clinic/appointments/\(future)", moved).cells.contains("has passed; to record an appointment that took place")
            )
            let past = try #require(try await api.get("appointments?date=\(yesterday)").items.first?["id"] as? Int)
            let longer = [
                "practitioner_id": String(bossID), "branch": "main", "start": "\(yesterday)T09:00", "duration_minutes": "45", "version": "1",
            ]
            #expect(try await boss.post("/t/clinic/appointments/\(past)", longer).status == .seeOther)
        }
    }
}
