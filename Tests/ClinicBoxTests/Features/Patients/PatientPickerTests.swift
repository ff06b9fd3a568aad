import ClinicBox
import ClinicBoxCore
import Foundation
import HummingbirdTesting
import Testing

/// One patient picker on every form that needs a patient: type a name, phone or number, choose from what it
/// matches, and the rest of the form is kept; a patient's page starts those forms for them.
@Suite struct PatientPickerTests {
    @Test func aReceptionistBooksByChoosingAPatientByName() async throws {
        let workspace = try TestWorkspace()
        let (server, doc, _) = try await ClinicFixture.server(workspace)
        try await server.application.test(.router) { client in
            let api = try await APIClient.signIn(client, tenant: "clinic", email: "desk@example.com")
            let hans = try await api.create("patients", ["first_name": "Hans", "last_name": "Müller", "date_of_birth": "1980-05-17"])["id"] as! Int
            _ = try await api.create("patients", ["first_name": "Greta", "last_name": "Müller"])
            var desk = WebBrowser(client)
            try await desk.signIn(tenant: "clinic", email: "desk@example.com", password: TestUsers.password)
            try await desk.get("/t/clinic/appointments/new")
            let booking = [
                "practitioner_id": String(doc), "branch": "main", "start": "2030-01-07T09:00", "duration_minutes": "30", "reason": "check-up",
            ]

            // Two Müllers: both are offered, neither is chosen, and the rest of the form is kept.
            let both = try await desk.post("/t/clinic/appointments", booking.merging(["patient": "müller"]) { $1 })
            #expect(both.status == .ok && both.text.contains("2 patients match “müller”: choose one, then send the form again."))
            #expect(
                both.text.contains(
                    #"<input type="radio" name="patient_id" value="\#(hans)" required> Hans Müller <span class="muted">P-000001 · born 17 May 1980</span>"#
                )
            )
            #expect(both.text.contains("Greta Müller") && !both.text.contains("checked"))
            #expect(both.text.contains(#"value="2030-01-07T09:00""#) && both.text.contains("check-up"))
            #expect(try await api.get("appointments?date=2030-01-07").items.isEmpty, "nothing is booked before a patient is chosen")

            // A single match is offered too, already ticked, but not taken without asking.
            let one = try await desk.post("/t/clinic/appointments", booking.merging(["patient": "Hans Müller"]) { $1 })
            #expect(one.text.contains("Is this the patient?") && one.text.contains(#"value="\#(hans)" checked required> Hans Müller"#))

            // Chosen: booked for Hans.
            let booked = try await desk.post(
                "/t/clinic/appointments",
                booking.merging(["patient": "müller", "patient_searched": "müller", "patient_id": String(hans)]) { $1 }
            )
            #expect(booked.headers[.location] == "/t/clinic/appointments?date=2030-01-07&booked=1")
            #expect(try await api.get("appointments?date=2030-01-07").items.first?["patient_id"] as? Int == hans)

            // A choice made for other words is not taken: the new words are searched.
            let retyped = try await desk.post(
                "/t/clinic/appointments",
                booking.merging(["patient": "greta", "patient_searched": "müller", "patient_id": String(hans), "start": "2030-01-07T11:00"]) { $1 }
            )
            #expect(retyped.status == .ok && retyped.text.contains("Greta Müller") && !retyped.text.contains("> Hans Müller"))
            let nobody = try await desk.post("/t/clinic/appointments", booking.merging(["patient": "Schmidt"]) { $1 })
            #expect(nobody.status == .unprocessableContent && nobody.text.contains(#"id="patient-error">no patient matches “Schmidt”"#))
            #expect(
                try await desk.post("/t/clinic/appointments", booking.merging(["patient": "p-000002", "start": "2030-01-07T12:00"]) { $1 }).status
                    == .seeOther,
                "a number is taken at once"
            )
        }
    }

    @Test func prescribingAndTheTreatmentPlanFindThePatientByName() async throws {
        let workspace = try TestWorkspace()
        try workspace.write("dent", TestTenant.yaml("dent", domain: "dental", features: ["patients", "treatments"], extra: "country: DE"))
        try workspace.write("gp", TestTenant.yaml("gp", features: ["patients", "prescriptions"]))
        let server = try await workspace.server()
        try await server.addUser("doc@example.com", role: .clinician, password: TestUsers.password, to: ["dent", "gp"])
        try await server.application.test(.router) { client in
            let dental = try await APIClient.signIn(client, tenant: "dent", email: "doc@example.com")
            let patient = ["first_name": "Ada", "last_name": "Lovelace", "phone": "+49 151 2345 6789"]
            let atTheDentist = try await dental.create("patients", patient)["id"] as! Int
            var doc = WebBrowser(client)
            try await doc.signIn(tenant: "dent", email: "doc@example.com", password: TestUsers.password)
            #expect(
                try await doc.get("/t/dent/patients/\(atTheDentist)").text.contains(
                    #"<a class="button primary" href="/t/dent/treatments?patient=P-000001">Treatment plan</a>"#
                )
            )
            let plan = try await doc.get("/t/dent/treatments?patient=lovelace")
            #expect(
                plan.text.contains("Choose the patient") && plan.text.contains(#"<a href="/t/dent/treatments?patient=P-000001">Ada Lovelace</a>"#)
            )
            #expect(try await doc.get("/t/dent/treatments?patient=0151+2345+6789").text.contains("Ada Lovelace"), "by a local phone number")

            let gp = try await APIClient.signIn(client, tenant: "gp", email: "doc@example.com")
            let ada = try await gp.create("patients", patient)["id"] as! Int
            try await doc.signIn(tenant: "gp", email: "doc@example.com", password: TestUsers.password)
            try await doc.get("/t/gp/prescriptions/new")
            let item = ["medicine_0": "Amoxicillin", "dose_0": "1 capsule 3 times a day", "quantity_0": "21"]
            let asked = try await doc.post("/t/gp/prescriptions", item.merging(["patient": "ada"]) { $1 })
            #expect(asked.status == .ok && asked.text.contains("Is this the patient?") && asked.text.contains(#"value="Amoxicillin""#))
            let written = try await doc.post(
                "/t/gp/prescriptions",
                item.merging(["patient": "ada", "patient_searched": "ada", "patient_id": String(ada)]) { $1 }
            )
            #expect(written.status == .seeOther)
            #expect(try await gp.get("prescriptions?patient_id=\(ada)").items.count == 1)
        }
    }

    /// The patient's page starts what the tenant's modules and the user's role allow, for that patient.
    @Test func aPatientsPageOffersWhatTheModulesAndTheRoleAllow() async throws {
        let workspace = try TestWorkspace()
        try workspace.write("gp", TestTenant.yaml("gp", features: ["patients", "appointments", "prescriptions"]))
        let server = try await workspace.server()
        try await server.addUser("doc@example.com", role: .clinician, password: TestUsers.password, to: ["gp"])
        try await server.addUser("desk@example.com", role: .staff, password: TestUsers.password, to: ["gp"])
        try await server.application.test(.router) { client in
            let api = try await APIClient.signIn(client, tenant: "gp", email: "desk@example.com")
            let id = try await api.create("patients", ["first_name": "Ada", "last_name": "Lovelace"])["id"] as! Int
            var doc = WebBrowser(client)
            try await doc.signIn(tenant: "gp", email: "doc@example.com", password: TestUsers.password)
            let page = try await doc.get("/t/gp/patients/\(id)").text
            for (label, href) in [("Book", "/t/gp/appointments/new?patient=P-000001"), ("Prescribe", "/t/gp/prescriptions/new?patient=P-000001")] {
                #expect(page.contains(#"<a class="button primary" href="\#(href)">\#(label)</a>"#), "\(label)")
            }
            let booking = try await doc.get("/t/gp/appointments/new?patient=P-000001").text
            #expect(booking.contains(#"name="patient" value="P-000001""#))
            var desk = WebBrowser(client)
            try await desk.signIn(tenant: "gp", email: "desk@example.com", password: TestUsers.password)
            let deskPage = try await desk.get("/t/gp/patients/\(id)").text
            #expect(deskPage.contains(">Book</a>") && !deskPage.contains(">Prescribe</a>"), "staff book, and do not prescribe")
        }
    }
}
