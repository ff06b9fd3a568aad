import ClinicBox
import ClinicBoxCore
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Booking, double-booking, day and week lists in the tenant's time zone, and status changes.
@Suite struct AppointmentsAPITests {
    @Test func aPractitionerCannotBeDoubleBooked() async throws {
        let workspace = try TestWorkspace()
        let (server, doc, nurse) = try await ClinicFixture.server(workspace)
        try await server.application.test(.router) { client in
            let desk = try await APIClient.signIn(client, tenant: "clinic", email: "desk@example.com")
            let patient = try await desk.create("patients", ["first_name": "Ada", "last_name": "Lovelace"])["id"]!
            let first = try await desk.create("appointments", ClinicFixture.booking(patient, doc, "2026-12-01T09:00"))
            #expect(first["start"] as? String == "2026-12-01T09:00" && first["starts_at"] as? String == "2026-12-01T08:00:00Z")
            #expect(first["status"] as? String == "scheduled" && first["practitioner_name"] as? String == "doc@example.com")

            let clash = try await desk.post("appointments", ClinicFixture.booking(patient, doc, "2026-12-01T09:15"))
            #expect(clash.status == .conflict)
            #expect(clash.json["detail"] as? String == "doc@example.com has an appointment at 1 Dec 2026, 09:00 for 30 minutes.")
            _ = try await desk.create("appointments", ClinicFixture.booking(patient, doc, "2026-12-01T09:30"))  // right after: fine
            let elsewhere = try await desk.post("appointments", ClinicFixture.booking(patient, nurse, "2026-12-01T09:00"))
            #expect(elsewhere.fieldErrors["branch"] == "nurse@example.com does not work at Main")
            // A cancelled appointment frees the slot.
            let id = first["id"] as? Int ?? 0
            #expect(try await desk.patch("appointments/\(id)", ["version": 1, "status": "cancelled"]).status == .ok)
            _ = try await desk.create("appointments", ClinicFixture.booking(patient, doc, "2026-12-01T09:00"))
        }
    }

    @Test func statusMovesOnlyForward() async throws {
        let workspace = try TestWorkspace()
        let (server, doc, _) = try await ClinicFixture.server(workspace)
        try await server.application.test(.router) { client in
            let desk = try await APIClient.signIn(client, tenant: "clinic", email: "desk@example.com")
            let patient = try await desk.create("patients", ["first_name": "Ada", "last_name": "Lovelace"])["id"]!
            let id = try await desk.create("appointments", ClinicFixture.booking(patient, doc, "2026-12-01T10:00"))["id"] as? Int ?? 0
            let skip = try await desk.patch("appointments/\(id)", ["version": 1, "status": "completed"])
            #expect(skip.fieldErrors["status"] == "cannot go from scheduled to completed; allowed: checked_in, cancelled, no_show")
            #expect(try await desk.patch("appointments/\(id)", ["version": 1, "status": "checked_in"]).json["status"] as? String == "checked_in")
            let moved = try await desk.patch("appointments/\(id)", ["version": 2, "start": "2026-12-01T11:00"])
            #expect(moved.fieldErrors["start"] == "cannot change once the appointment is checked_in")
            #expect(try await desk.patch("appointments/\(id)", ["version": 2, "status": "completed"]).json["status"] as? String == "completed")
            #expect(
                try await desk.patch("appointments/\(id)", ["version": 3, "status": "cancelled"]).fieldErrors["status"]
                    == "cannot go from completed to cancelled; allowed: none: it is final"
            )
        }
    }

    @Test func dayAndWeekListsUseTheTenantsTimeZone() async throws {
        let workspace = try TestWorkspace()
        let (server, doc, _) = try await ClinicFixture.server(workspace)
        try await server.application.test(.router) { client in
            let desk = try await APIClient.signIn(client, tenant: "clinic", email: "desk@example.com")
            let patient = try await desk.create("patients", ["first_name": "Ada", "last_name": "Lovelace"])["id"]!
            // 00:30 in Berlin on 2 December is still 1 December in UTC: it belongs to the clinic's 2 December.
            for start in ["2026-12-02T00:30", "2026-12-01T23:00", "2026-12-07T08:00", "2026-12-08T08:00"] {
                _ = try await desk.create("appointments", ClinicFixture.booking(patient, doc, start))
            }
            #expect(try await desk.get("appointments?date=2026-12-02").items.map { $0["start"] as? String } == ["2026-12-02T00:30"])
            // The week of Wednesday 2 December runs Monday 30 November to Sunday 6 December.
            #expect(try await desk.get("appointments?week=2026-12-02").items.count == 2)
            #expect(try await desk.get("appointments?week=2026-12-07&practitioner_id=\(doc)").items.count == 2)
            // 02:30 on 29 March 2026 does not exist in Berlin (clocks jump from 02:00 to 03:00).
            let skipped = try await desk.post("appointments", ClinicFixture.booking(patient, doc, "2026-03-29T02:30"))
            #expect(skipped.fieldErrors["start"] == "must be a local time written YYYY-MM-DDTHH:MM (in Europe/Berlin)")
            #expect(try await desk.get("appointments?date=yesterday").fieldErrors["date"] == "must be a date written YYYY-MM-DD")
        }
    }

    @Test func staffBookOnlyInTheirBranch() async throws {
        let workspace = try TestWorkspace()
        let (server, doc, _) = try await ClinicFixture.server(workspace)
        try await server.application.test(.router) { client in
            let desk = try await APIClient.signIn(client, tenant: "clinic", email: "desk@example.com")
            let patient = try await desk.create("patients", ["first_name": "Ada", "last_name": "Lovelace"])["id"]!
            let refused = try await desk.post("appointments", ClinicFixture.booking(patient, doc, "2026-12-01T09:00", branch: "north"))
            #expect(refused.status == .forbidden)
            let unknownPatient = try await desk.post("appointments", ClinicFixture.booking(4242, doc, "2026-12-01T09:00"))
            #expect(unknownPatient.fieldErrors["patient_id"] == "is not a patient of this clinic")
        }
    }

    /// A cancellation keeps its reason and can be restored on the day it was made, if the time is still free;
    /// from the next day on it is final.
    @Test func aCancellationCanBeRestoredOnlyTheSameDayAndOnlyIntoAFreeTime() async throws {
        let workspace = try TestWorkspace()
        let (server, doc, _) = try await ClinicFixture.server(workspace)
        try await server.application.test(.router) { client in
            let desk = try await APIClient.signIn(client, tenant: "clinic", email: "desk@example.com")
            let patient = try await desk.create("patients", ["first_name": "Ada", "last_name": "Lovelace"])["id"]!
            let id = try #require(try await desk.create("appointments", ClinicFixture.booking(patient, doc, "2030-01-07T09:00"))["id"] as? Int)
            #expect(
                try await desk.patch("appointments/\(id)", ["version": 1, "cancel_reason": "why not"]).fieldErrors["cancel_reason"]
                    == "is given only with status cancelled"
            )
            let cancelled = try await desk.patch("appointments/\(id)", ["version": 1, "status": "cancelled", "cancel_reason": "Patient has the flu"])
                .json
            #expect(cancelled["cancel_reason"] as? String == "Patient has the flu" && cancelled["cancelled_at"] is String)

            // Someone else takes the freed time: restoring would double-book, so it is refused.
            let other = try #require(try await desk.create("appointments", ClinicFixture.booking(patient, doc, "2030-01-07T09:15"))["id"] as? Int)
            #expect(try await desk.patch("appointments/\(id)", ["version": 2, "status": "scheduled"]).status == .conflict)
            _ = try await desk.patch("appointments/\(other)", ["version": 1, "status": "cancelled"])
            #expect(try await desk.patch("appointments/\(id)", ["version": 2, "status": "scheduled"]).json["status"] as? String == "scheduled")

            // Cancelled yesterday: final.
            _ = try await desk.patch("appointments/\(id)", ["version": 3, "status": "cancelled"])
            let database = try await server.databases.database(for: TenantID("clinic")!)
            try await database.write { db in
                try db.execute(sql: "UPDATE appointments SET cancelled_at = '2020-01-01T10:00:00Z' WHERE id = ?", arguments: [id])
            }
            let late = try await desk.patch("appointments/\(id)", ["version": 4, "status": "scheduled"])
            #expect(
                late.fieldErrors["status"]
                    == "cannot go from cancelled to scheduled (a cancellation can be undone only on the day it was made); allowed: none: it is final"
            )
        }
    }
}
