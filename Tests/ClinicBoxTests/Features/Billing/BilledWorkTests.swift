import ClinicBox
import ClinicBoxCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Work recorded elsewhere reaches the bill: a dentist's done treatments at their fees, a signed visit as a
/// consultation type; each piece of work is on one live invoice only, and a credit note lets it be billed again.
@Suite struct BilledWorkTests {
    static let extra = """
        branches:
          - {code: main, name: Main Street}
        tax:
          classes: {standard: 16, exempt: 0}
          default_class: exempt
          prices_include_tax: false
        procedures:
          - {code: FIL1, name: "Composite filling, one surface", fee: 45}
          - {code: WHITE, name: Whitening, fee: 200}
        """

    @Test func doneTreatmentsAndASignedVisitAreBilledOnce() async throws {
        let practice = try await ClinicScenario(
            tenant: "dent",
            domain: "dental",
            features: ["patients", "treatments", "visits", "billing"],
            extra: Self.extra
        )
        try await practice.run { session in
            let (dentist, desk, manager) = (
                try await session.signIn("clinician@example.com"), try await session.signIn(as: .staff), try await session.signIn(as: .manager)
            )
            // Whitening is cosmetic, taxed at the standard rate; a consultation type for the visit.
            _ = try await manager.create(
                "billing/services",
                ["code": "WHITE", "name": "Whitening", "kind": "procedure", "price": 20_000, "tax_class": "standard"]
            )
            _ = try await manager.create("billing/services", ["code": "CONS", "name": "Dental consultation", "kind": "consultation", "price": 2_000])
            let patient = try await session.patient(as: desk)
            let filling = try await dentist.create("treatments", ["patient_id": patient, "tooth": 36, "procedure_code": "FIL1", "status": "done"])
            let whitening = try await dentist.create("treatments", ["patient_id": patient, "procedure_code": "WHITE", "status": "done"])
            _ = try await dentist.create("treatments", ["patient_id": patient, "tooth": 11, "procedure_code": "FIL1"])  // planned: not billable yet
            let visit = try await dentist.create(
                "visits",
                ["patient_id": patient, "branch": "main", "subjective": "Sensitive tooth", "diagnoses": []]
            )
            #expect(try await dentist.post("visits/\(visit["id"] as! Int)/sign", ["version": 1]).status == .ok)

            let (fillingSource, whiteningSource, visitSource) = (
                "treatment:\(filling["id"] as! Int)", "treatment:\(whitening["id"] as! Int)", "visit:\(visit["id"] as! Int)"
            )
            let unpriced = try await desk.post("invoices", ["patient_id": patient, "lines": [["source": visitSource]]])
            #expect(
                unpriced.status == .unprocessableContent
                    && unpriced.fieldErrors["lines[0].service_id"] == "choose the consultation it is billed as, from the price list"
            )
            let draft = try await desk.create(
                "invoices",
                [
                    "patient_id": patient,
                    "lines": [["source": fillingSource], ["source": whiteningSource], ["source": visitSource, "service_code": "CONS"]],
                ]
            )
            let lines = try #require(draft["lines"] as? [[String: Any]])
            #expect(
                lines.map { $0["total"] as? Int } == [4_500, 23_200, 2_000] && lines.map { $0["item_code"] as? String } == ["FIL1", "WHITE", "CONS"]
            )
            #expect((lines[0]["description"] as? String)?.hasPrefix("Composite filling, one surface (tooth 36") == true)
            #expect((lines[2]["description"] as? String)?.hasPrefix("Dental consultation — Visit V-") == true)

            // The same work on a second invoice is refused, naming where it is.
            let twice = try await desk.post("invoices", ["patient_id": patient, "lines": [["source": fillingSource]]])
            #expect(twice.status == .conflict && twice.fieldErrors["lines[0].source"] == "is already on a draft invoice")
            let planned = try await desk.post("invoices", ["patient_id": patient, "lines": [["source": "treatment:999"]]])
            #expect(
                planned.status == .unprocessableContent && planned.fieldErrors["lines[0].source"] == "is not work of this patient that can be billed"
            )

            let id = try #require(draft["id"] as? Int)
            let issued = try await desk.post("invoices/\(id)/issue", ["version": 1]).json
            let number = try #require(issued["number"] as? String)
            #expect(
                try await desk.post("invoices", ["patient_id": patient, "lines": [["source": fillingSource]]]).fieldErrors["lines[0].source"]
                    == "is already on \(number)"
            )

            // Credited, the filling can be billed again (at the same fee).
            let fillingLine = try #require(lines.first?["id"] as? Int)
            _ = try await manager.create("invoices/\(id)/credit-notes", ["reason": "Billed before the check-up", "lines": [fillingLine]])
            #expect(try await desk.post("invoices", ["patient_id": patient, "lines": [["source": fillingSource]]]).status == .created)
        }
    }

    @Test func twoDesksBillingTheSameTreatmentAtOnceBillItOnce() async throws {
        let practice = try await ClinicScenario(tenant: "dent", domain: "dental", features: ["patients", "treatments", "billing"], extra: Self.extra)
        try await practice.run { session in
            let (dentist, desk) = (try await session.signIn("clinician@example.com"), try await session.signIn(as: .staff))
            let patient = try await session.patient(as: desk)
            let done = try await dentist.create("treatments", ["patient_id": patient, "tooth": 36, "procedure_code": "FIL1", "status": "done"])
            let source = "treatment:\(done["id"] as! Int)"
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<2 { group.addTask { try await desk.post("invoices", ["patient_id": patient, "lines": [["source": source]]]).status } }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.sorted { $0.code < $1.code } == [.created, .conflict])
        }
    }

    @Test func theDraftPageOffersTheWorkNotYetBilled() async throws {
        let practice = try await ClinicScenario(
            tenant: "dent",
            domain: "dental",
            features: ["patients", "treatments", "visits", "billing"],
            extra: Self.extra
        )
        try await practice.run { session in
            let (dentist, manager) = (try await session.signIn("clinician@example.com"), try await session.signIn(as: .manager))
            _ = try await manager.create("billing/services", ["code": "CONS", "name": "Dental consultation", "kind": "consultation", "price": 2_000])
            let patient = try await session.patient(as: manager)
            _ = try await dentist.create("treatments", ["patient_id": patient, "tooth": 36, "procedure_code": "FIL1", "status": "done"])
            let visit = try await dentist.create("visits", ["patient_id": patient, "branch": "main", "subjective": "Check-up", "diagnoses": []])
            _ = try await dentist.post("visits/\(visit["id"] as! Int)/sign", ["version": 1])

            var desk = WebBrowser(session.client)
            try await desk.signIn(tenant: "dent", email: "staff@example.com", password: TestUsers.password)
            _ = try await desk.get("/t/dent/billing/invoices/new")
            let started = try await desk.post(
                "/t/dent/billing/invoices",
                ["patient_id": String(patient), "patient": "x", "patient_searched": "x", "branch": "main"]
            )
            let path = try #require(started.headers[.location])
            let draft = try await desk.get(path).cells
            #expect(
                draft.contains("Work not yet billed") && draft.contains("Composite filling, one surface (tooth 36)") && draft.contains("EUR 45.00")
            )
            #expect(draft.contains("Dental consultation · EUR 20.00"))
            let unchosen = try await desk.post(
                path + "/lines",
                ["version": "1", "kind": "work", "source": "visit:\(visit["id"] as! Int)", "service_id": ""]
            )
            #expect(
                unchosen.status == .unprocessableContent && unchosen.cells.contains("choose the consultation it is billed as, from the price list")
            )
            let source = try #require(draft.range(of: #"treatment:\d+"#, options: .regularExpression).map { String(draft[$0]) })
            #expect(try await desk.post(path + "/lines", ["version": "1", "kind": "work", "source": source]).status == .seeOther)
            let billed = try await desk.get(path).cells
            #expect(billed.contains("<td>Composite filling, one surface (tooth 36) <span class=\"muted\">FIL1</span></td>"))
            #expect(!billed.contains(#"value="\#(source)""#) && billed.contains("Work not yet billed"))
        }
    }

    /// A GP's signed visit is billed from its page: *Start an invoice* opens the new invoice for its patient in its
    /// branch, and the draft offers the visit to bill as one of the price list's consultation types.
    @Test func aGPVisitIsBilledFromItsPage() async throws {
        let practice = try await ClinicScenario(
            tenant: "gp",
            domain: "general",
            features: ["patients", "visits", "billing"],
            extra: "branches:\n  - {code: main, name: Main}\n  - {code: east, name: East}"
        )
        try await practice.run { session in
            let (doctor, manager) = (try await session.signIn("clinician@example.com"), try await session.signIn(as: .manager))
            _ = try await manager.create("billing/services", ["code": "CONS", "name": "GP consultation", "kind": "consultation", "price": 3_000])
            let patient = try await session.patient(as: manager)
            let visit = try #require(
                try await doctor.create("visits", ["patient_id": patient, "branch": "east", "subjective": "Sore throat"])["id"] as? Int
            )
            var browser = WebBrowser(session.client)
            try await browser.signIn(tenant: "gp", email: "manager@example.com", password: TestUsers.password)
            #expect(!(try await browser.get("/t/gp/visits/\(visit)").text.contains("Start an invoice")), "an open visit is not billed yet")
            _ = try await doctor.post("visits/\(visit)/sign", ["version": 1])
            let page = try await browser.get("/t/gp/visits/\(visit)").text
            #expect(page.contains(#"<a class="button" href="/t/gp/billing/invoices/new?patient=P-000001&amp;branch=east">Start an invoice</a>"#))
            let form = try await browser.get("/t/gp/billing/invoices/new?patient=P-000001&branch=east").text
            #expect(form.contains("For <strong>Ada Lovelace</strong>") && form.contains(#"<option value="east" selected>East</option>"#))
            let started = try await browser.post(
                "/t/gp/billing/invoices",
                ["patient_id": String(patient), "patient": "P-000001", "patient_searched": "P-000001", "branch": "east"]
            )
            let path = try #require(started.headers[.location])
            let draft = try await browser.get(path).cells
            #expect(draft.contains("Work not yet billed") && draft.contains("GP consultation · EUR 30.00"))
            let service = try #require(draft.range(of: #"<option value="\d+">GP consultation"#, options: .regularExpression))
            let id = String(draft[service].dropFirst(15).prefix { $0.isNumber })
            let added = try await browser.post(path + "/lines", ["version": "1", "kind": "work", "source": "visit:\(visit)", "service_id": id])
            #expect(added.status == .seeOther)
            let billed = try await browser.get(path).cells
            #expect(billed.contains("GP consultation") && billed.contains("<strong>EUR 30.00</strong>") && !billed.contains("Work not yet billed"))
            // The doctor reads the visit but does not bill (no `billing.write`): no button for them.
            var doctorsBrowser = WebBrowser(session.client)
            try await doctorsBrowser.signIn(tenant: "gp", email: "clinician@example.com", password: TestUsers.password)
            #expect(!(try await doctorsBrowser.get("/t/gp/visits/\(visit)").text.contains("Start an invoice")))
        }
    }
}

/// A pharmacy bills medicine dispensed against a prescription that was not sold at the till, once.
@Suite struct BilledDispensingTests {
    @Test func dispensedItemsNotSoldAtTheTillAreBilledOnce() async throws {
        let workspace = try TestWorkspace()
        let server = try await PharmacyFixture.server(workspace, features: ["patients", "prescriptions", "inventory", "sales", "billing"])
        try await server.application.test(.router) { client in
            let (boss, pharmacist, cashier) = (
                try await APIClient.signIn(client, tenant: "pharm", email: "boss@example.com"),
                try await APIClient.signIn(client, tenant: "pharm", email: "pharmacist@example.com"),
                try await APIClient.signIn(client, tenant: "pharm", email: "cashier@example.com")
            )
            let (amoxicillin, _) = try await PharmacyFixture.stock(boss, sku: "AMOX", quantity: 40, price: 120)
            let patient = try #require(try await pharmacist.create("patients", TestRecords.ada)["id"] as? Int)
            func prescribe(_ quantity: Int) async throws -> (id: Int, item: Int) {
                let rx = try await pharmacist.create(
                    "prescriptions",
                    [
                        "patient_id": patient,
                        "items": [
                            [
                                "medicine": "Amoxicillin", "strength": "500 mg", "dose": "1 three times a day", "quantity": quantity,
                                "product_id": amoxicillin,
                            ]
                        ],
                    ]
                )
                return (rx["id"] as! Int, (rx["items"] as! [[String: Any]])[0]["id"] as! Int)
            }
            // One dispensed at the pharmacy counter (to be billed), one sold at the till (paid there).
            let counter = try await prescribe(15)
            _ = try await pharmacist.create(
                "prescriptions/\(counter.id)/dispense",
                ["branch": "main", "items": [["item_id": counter.item, "quantity": 15]]]
            )
            let till = try await prescribe(10)
            _ = try await cashier.create(
                "sales",
                PharmacyFixture.sale(amoxicillin, 10, payments: [["method": "cash", "amount": 1_200]], extra: ["prescription_id": till.id])
            )

            let sources = try await server.databases.database(for: TenantID("pharm")!, creating: true).read { db in
                try String.fetchAll(db, sql: "SELECT 'dispensing:' || id FROM prescription_dispensings ORDER BY id")
            }
            #expect(sources.count == 2)
            let sold = try await cashier.post("invoices", ["patient_id": patient, "branch": "main", "lines": [["source": sources[1]]]])
            #expect(sold.status == .unprocessableContent && sold.fieldErrors["lines[0].source"] == "is not work of this patient that can be billed")
            let billed = try await cashier.create("invoices", ["patient_id": patient, "branch": "main", "lines": [["source": sources[0]]]])
            let line = try #require((billed["lines"] as? [[String: Any]])?.first)
            #expect(line["total"] as? Int == 1_800 && (line["description"] as? String)?.hasPrefix("Amoxicillin 500 mg × 15 (RX-") == true)
            #expect(line["item_code"] as? String == "AMOX")
            let again = try await cashier.post("invoices", ["patient_id": patient, "branch": "main", "lines": [["source": sources[0]]]])
            #expect(again.status == .conflict)

            // A database from before prescriptions.v7 learns which dispensings the till sold from the stock movements.
            let database = try await server.databases.database(for: TenantID("pharm")!, creating: true)
            try await database.write { db in
                try db.execute(sql: "DROP TABLE prescription_dispensing_sales; DELETE FROM grdb_migrations WHERE identifier = 'prescriptions.v7'")
            }
            let schema = try #require(server.registry.current.tenant(TenantID("pharm")!)?.schema)
            let reopened = try TenantDatabase.openForTests(TenantID("pharm")!, in: workspace.data, schema: schema)
            let backfilled = try await reopened.read { db in
                try String.fetchAll(db, sql: "SELECT 'dispensing:' || dispensing_id || ' ' || sale FROM prescription_dispensing_sales")
            }
            #expect(backfilled.count == 1 && backfilled.first?.hasPrefix(sources[1] + " S-") == true)
        }
    }
}
