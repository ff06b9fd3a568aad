import ClinicBox
import ClinicBoxCore
import Foundation
import HummingbirdTesting
import Testing

/// The audit log as a practice manager reads it: sentences with people's and records' names, records linked to
/// their pages, and changes in words — money as money, users and branches by name, no internal columns.
struct AuditSentenceTests {
    @Test func entriesAreSentencesWithNamesAndLinks() async throws {
        let workspace = try TestWorkspace()
        let (server, doc, _) = try await ClinicFixture.server(workspace)
        try await server.addUser("lena@example.com", name: "Lena Fischer", role: .staff, password: TestUsers.password, to: ["clinic"])
        try await server.addUser("boss@example.com", role: .admin, password: TestUsers.password, to: ["clinic"])
        try await server.application.test(.router) { client in
            let lena = try await APIClient.signIn(client, tenant: "clinic", email: "lena@example.com")
            let patient = try await lena.create("patients", ["first_name": "Hans", "last_name": "Müller"])["id"]!
            let appointment = try #require(
                try await lena.create("appointments", ClinicFixture.booking(patient, doc, "2030-01-07T10:30"))["id"] as? Int
            )
            #expect(try await lena.patch("appointments/\(appointment)", ["version": 1, "status": "checked_in"]).status == .ok)
            var stranger = WebBrowser(client)
            #expect(try await stranger.signIn(tenant: "clinic", email: "nobody@example.com", password: "not a password").status == .unauthorized)

            var boss = WebBrowser(client)
            try await boss.signIn(tenant: "clinic", email: "boss@example.com", password: TestUsers.password)
            let audit = try await boss.get("/t/clinic/admin/audit").cells
            let checkedIn =
                #"<td>Lena Fischer checked in <a href="/t/clinic/appointments/\#(appointment)">Hans Müller (P-000001) for 7 Jan 2030, 10:30</a></td><td>status: scheduled → checked in</td>"#
            #expect(audit.contains(checkedIn))
            #expect(
                audit.contains(
                    #"<td>Lena Fischer registered <a href="/t/clinic/patients/1">Hans Müller (P-000001)</a></td><td>active: yes; first name: Hans; last name: Müller; number: P-000001</td>"#
                )
            )
            #expect(
                audit.contains("Lena Fischer booked")
                    && audit.contains("practitioner: doc@example.com; reason: check-up; starts at: 7 Jan 2030, 10:30")
            )
            #expect(
                audit.contains("<td>Someone failed to sign in as nobody@example.com</td>") && audit.contains("<td>Boss signed in to the pages</td>")
            )
            for code in ["patient id", "sort name", "local start", "patients.create", "appointments.update", "checked_in"] {
                #expect(!audit.contains("<td>\(code)") && !audit.contains(" \(code)"), "the log shows \(code)")
            }

            let home = try await boss.get("/t/clinic/").cells
            #expect(
                home.contains(
                    #"<a href="/t/clinic/appointments/\#(appointment)">Lena Fischer checked in Hans Müller (P-000001) for 7 Jan 2030, 10:30</a>"#
                )
            )

            let filtered = try await boss.get("/t/clinic/admin/audit?action=appointments.create").cells
            #expect(filtered.contains("Lena Fischer booked") && !filtered.contains("Lena Fischer checked in"))
            #expect(filtered.contains(#"<option value="appointments.create" selected>Appointments: booked …</option>"#))
        }
    }

    /// A sale and its refund read in the tenant's currency; stock batches are a record type of their own.
    @Test func moneyAndStockReadAsPeopleSayThem() async throws {
        let scenario = try await ClinicScenario(tenant: "pharm") { try await PharmacyFixture.server($0) }
        try await scenario.run { session in
            let manager = try await session.signIn("manager@example.com")
            let (product, _) = try await PharmacyFixture.stock(
                manager,
                sku: "IBU",
                quantity: 10,
                price: 500,
                product: ["name": "Ibuprofen", "strength": "200 mg"]
            )
            let sale = try await manager.create("sales", PharmacyFixture.sale(product, 2, payments: [["method": "cash", "amount": 1000]]))
            let (saleID, items) = (try #require(sale["id"] as? Int), try #require(sale["items"] as? [[String: Any]]))
            _ = try await manager.create(
                "sales/\(saleID)/refunds",
                ["items": [["sale_item_id": items[0]["id"]!, "quantity": 1]], "reason": "damaged box"]
            )

            var boss = WebBrowser(session.client)
            try await boss.signIn(tenant: "pharm", email: "boss@example.com", password: TestUsers.password)
            let audit = try await boss.get("/t/pharm/admin/audit").cells
            #expect(
                audit.contains(
                    #"manager@example.com refunded from <a href="/t/pharm/sales/\#(saleID)">sale S-000001 (EUR 10.00)</a></td><td>reason: damaged box; refunded: EUR 0.00 → EUR 5.00; returned units: quarantined</td>"#
                )
            )
            #expect(
                audit.contains(
                    #"manager@example.com completed <a href="/t/pharm/sales/\#(saleID)">sale S-000001 (EUR 10.00)</a></td><td>number: S-000001; total: EUR 10.00</td>"#
                )
            )
            let stock = try await boss.get("/t/pharm/admin/audit?type=stock_batch").cells
            #expect(
                stock.contains(
                    #"manager@example.com received <a href="/t/pharm/inventory/batches/1">batch B1 of Ibuprofen 200 mg tablet</a></td><td>branch: Main Street; quantity: +10</td>"#
                )
            )
            #expect(!stock.contains("completed <a"))
        }
    }

    /// A clinical day as the practice manager reads it afterwards: chart views, visits, allergies, problems,
    /// documents and refusals are sentences naming people and records, never action codes; the filter offers each.
    @Test func aClinicalDayReadsInWords() async throws {
        let workspace = try TestWorkspace()
        let server = try await VisitsAPITests.server(workspace)
        try await server.addUser("owner@example.com", name: "Olga Owner", role: .admin, password: TestUsers.password, to: ["clinic"])
        try await server.application.test(.router) { client in
            let doc = try await APIClient.signIn(client, tenant: "clinic", email: "doc@example.com")
            let desk = try await APIClient.signIn(client, tenant: "clinic", email: "desk@example.com")
            let (patient, appointment) = try await VisitsAPITests.checkedIn(desk, doctor: try await VisitsAPITests.userID(server, "doc@example.com"))
            _ = try await doc.create("patients/\(patient)/allergies", ["substance": "Penicillin", "reaction": "hives", "severity": "severe"])
            _ = try await doc.create("patients/\(patient)/problems", ["description": "Asthma"])
            let visit = try #require(try await doc.create("visits", ["appointment_id": appointment, "assessment": "Asthma, stable."])["id"] as? Int)
            #expect(try await doc.post("visits/\(visit)/sign", ["version": 1]).status == .ok)
            _ = try await doc.create("visits/\(visit)/addenda", ["text": "Peak flow normal."])
            #expect(try await doc.upload("patients/\(patient)/documents", DocumentsAPITests.pngAsPDF()).status == .created)
            #expect(try await desk.get("visits/\(visit)").status == .forbidden)
            var doctor = WebBrowser(client)
            try await doctor.signIn(tenant: "clinic", email: "doc@example.com", password: TestUsers.password)
            #expect(try await doctor.get("/t/clinic/patients/\(patient)").status == .ok)

            var owner = WebBrowser(client)
            try await owner.signIn(tenant: "clinic", email: "owner@example.com", password: TestUsers.password)
            let audit = try await owner.get("/t/clinic/admin/audit").cells
            let ada = "Ada Lovelace (P-000001)"
            for sentence in [
                "Dr Amina Njoroge opened the chart of <a href=\"/t/clinic/patients/\(patient)\">\(ada)</a>",
                "Dr Amina Njoroge started <a href=\"/t/clinic/visits/\(visit)\">visit V-000001 of \(ada)</a>",
                "Dr Amina Njoroge signed <a href=\"/t/clinic/visits/\(visit)\">visit V-000001 of \(ada)</a>",
                "Dr Amina Njoroge added an addendum to <a href=\"/t/clinic/visits/\(visit)\">visit V-000001 of \(ada)</a>",
                "Dr Amina Njoroge recorded <a href=\"/t/clinic/patients/\(patient)\">the allergy to Penicillin of \(ada)</a>",
                "Dr Amina Njoroge recorded <a href=\"/t/clinic/patients/\(patient)\">the problem “Asthma” of \(ada)</a>",
                "Dr Amina Njoroge filed a document in the record of <a href=\"/t/clinic/patients/\(patient)\">\(ada)</a>",
                "Desk was refused permission to read visit notes and problems",
            ] {
                #expect(audit.contains(sentence), "the audit log should say: \(sentence)")
            }
            // A document's digest: its first digits on the page (they fit a phone), all 64 in the CSV.
            #expect(audit.firstMatch(of: try Regex("sha256: [0-9a-f]{12}…;")) != nil)
            let csv = try await owner.get("/t/clinic/admin/audit?format=csv").text
            #expect(csv.firstMatch(of: try Regex("sha256: [0-9a-f]{64}")) != nil)
            let codes = try Regex(#"<td>[^<]*\b(patients|visits|clinical|auth|appointments)\.[a-z_]+"#)
            #expect(audit.firstMatch(of: codes) == nil && !audit.contains(" did "), "an entry shows an action code")
            for option in [
                #"<option value="visit">Visits</option>"#, #"<option value="allergy">Allergies</option>"#,
                #"<option value="problem">Problems</option>"#,
                #"<option value="patients.chart_viewed">Patients: read the record of …</option>"#, #"<option value="patients.document_filed">"#,
                #"<option value="visits.sign">Visits: signed …</option>"#,
            ] {
                #expect(audit.contains(option), "the filter should offer \(option)")
            }
            let views = try await owner.get("/t/clinic/patients/\(patient)").cells
            #expect(views.contains("<td>Dr Amina Njoroge</td>") && !views.contains("<td>doc@example.com</td>"), "who opened the chart is named")
        }
    }
}
