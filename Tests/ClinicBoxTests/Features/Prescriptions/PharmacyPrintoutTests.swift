import ClinicBox
import ClinicBoxCore
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// A pharmacy's paper through the real stack: the prescription with the prescriber's registration number from their
/// profile, a dispensing label on the label size the tenant file names, and the till receipt on the roll. Printing
/// what is in a patient's record is written to the audit trail every time.
@Suite struct PharmacyPrintoutTests {
    static let yaml = TestTenant.yaml(
        "pharm",
        domain: "pharmacy",
        name: "Kilimani Pharmacy",
        features: ["patients", "inventory", "prescriptions", "sales"],
        extra: """
            tax:
              rate: 16
            branches:
              - code: main
                name: Main Street
                address: "Argwings Kodhek Road, Nairobi"
            printing:
              label: 50mm x 30mm
            """
    )

    @Test func thePrescriptionItsLabelAndTheTillReceiptPrint() async throws {
        let workspace = try TestWorkspace()
        try workspace.write("pharm", Self.yaml)
        let server = try await workspace.server()
        let accounts = try await server.accounts("pharm")
        for (email, name, role) in [("boss@example.com", "Boss", Role.admin), ("pharmacist@example.com", "Grace Wanjiru", .clinician)] {
            _ = try await accounts.create(.init(email: email, displayName: name, role: role, password: TestUsers.password), by: .commandLine)
        }
        let pharmacistID = try #require(try await accounts.user(email: "pharmacist@example.com")?.id)
        let database = try await server.databases.database(for: TenantID("pharm")!, creating: true)
        try await server.application.test(.router) { client in
            // The admin keeps the pharmacist's registration number on the user page; it is printed on what they write.
            var boss = WebBrowser(client)
            try await boss.signIn(tenant: "pharm", email: "boss@example.com", password: TestUsers.password)
            let edit = try await boss.get("/t/pharm/admin/users/\(pharmacistID)/edit")
            #expect(edit.text.contains("Professional registration number (printed on their prescriptions)"))
            let tooLong = try await boss.post(
                "/t/pharm/admin/users/\(pharmacistID)/edit",
                ["display_name": "Grace Wanjiru", "role": "clinician", "registration_number": String(repeating: "9", count: 51)]
            )
            #expect(tooLong.status == .unprocessableContent && tooLong.text.contains("write the registration number in at most 50 characters"))
            let saved = try await boss.post(
                "/t/pharm/admin/users/\(pharmacistID)/edit",
                ["display_name": "Grace Wanjiru", "role": "clinician", "registration_number": " PPB-7731 "]
            )
            #expect(saved.status == .seeOther)
            #expect(try await accounts.user(email: "pharmacist@example.com")?.registrationNumber == "PPB-7731")

            let admin = try await APIClient.signIn(client, tenant: "pharm", email: "boss@example.com")
            let pharmacist = try await APIClient.signIn(client, tenant: "pharm", email: "pharmacist@example.com")
            let (amoxicillin, _) = try await PharmacyFixture.stock(admin, sku: "AMOX", quantity: 30)
            let patient = try #require(try await pharmacist.create("patients", TestRecords.ada)["id"] as? Int)
            let rx = try await pharmacist.create(
                "prescriptions",
                [
                    "patient_id": patient,
                    "items": [
                        [
                            "medicine": "Amoxicillin", "strength": "500 mg", "dose": "1 capsule", "route": "oral", "frequency": "3 times a day",
                            "duration": "5 days", "quantity": 15, "product_id": amoxicillin,
                        ]
                    ],
                ]
            )
            let (rxID, number) = (try #require(rx["id"] as? Int), try #require(rx["number"] as? String))
            #expect(rx["prescriber_registration"] as? String == "PPB-7731")
            let written = try #require((rx["items"] as? [[String: Any]])?.first)
            #expect(
                written["route"] as? String == "oral" && written["frequency"] as? String == "3 times a day"
                    && written["duration"] as? String == "5 days"
            )
            let badRoute = try await pharmacist.post(
                "prescriptions",
                ["patient_id": patient, "items": [["medicine": "Amoxicillin", "dose": "1 capsule", "route": "by mouth", "quantity": 15]]]
            )
            #expect(badRoute.fieldErrors["items[0].route"]?.contains("oral") == true)
            let item = try #require((rx["items"] as? [[String: Any]])?.first?["id"] as? Int)
            _ = try await pharmacist.create("prescriptions/\(rxID)/dispense", ["branch": "main", "items": [["item_id": item, "quantity": 15]]])

            var desk = WebBrowser(client)
            try await desk.signIn(tenant: "pharm", email: "pharmacist@example.com", password: TestUsers.password)
            let page = try await desk.get("/t/pharm/prescriptions/\(rxID)").text
            #expect(page.contains(#"<a href="/t/pharm/prescriptions/\#(rxID)/print">Print the prescription</a>"#))
            let label = try #require(page.range(of: #"/t/pharm/prescriptions/\d+/dispensings/\d+/label"#, options: .regularExpression))

            let printed = try await desk.get("/t/pharm/prescriptions/\(rxID)/print").text
            BillingPrintoutTests.expectOnlyTheDocument(printed)
            #expect(printed.contains("<h1>Prescription \(number)</h1>") && printed.contains("page.css?size=210x297"))
            #expect(printed.contains("Grace Wanjiru<br><span class=\"muted\">Reg. no. PPB-7731</span>") && printed.contains("<dd>10 Dec 1985</dd>"))
            #expect(
                printed.contains(
                    "<td><strong>Amoxicillin</strong> 500 mg</td><td>1 capsule</td><td>by mouth</td><td>3 times a day</td><td>5 days</td>"
                )
            )
            #expect(printed.contains(#"<p class="signature">Signature: Grace Wanjiru, reg. no. PPB-7731</p>"#))

            let sticker = try await desk.get(String(page[label])).text
            BillingPrintoutTests.expectOnlyTheDocument(sticker)
            #expect(sticker.contains(#"class="paper label""#) && sticker.contains("page.css?size=50x30"))
            #expect(sticker.contains("<p class=\"letterhead-name\">Kilimani Pharmacy</p>") && sticker.contains("Argwings Kodhek Road, Nairobi"))
            #expect(
                sticker.contains(#"<p class="medicine">Amoxicillin 500 mg</p>"#)
                    && sticker.contains("<p>1 capsule · by mouth · 3 times a day · for 5 days</p>")
            )
            #expect(sticker.contains("Qty 15") && sticker.contains("Grace Wanjiru") && sticker.contains("<strong>Ada Lovelace</strong>"))

            // Each printout of the record is in the audit trail, however soon after the last.
            _ = try await desk.get("/t/pharm/prescriptions/\(rxID)/print")
            let printouts = try await database.read { db in
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT json_extract(changes, '$.what.after') FROM audit_log WHERE action = 'patients.chart_viewed'
                        AND json_extract(changes, '$.what.after') LIKE '%printed' ORDER BY id
                        """
                )
            }
            #expect(printouts == ["prescription \(number) printed", "dispensing label for \(number) printed", "prescription \(number) printed"])

            // The till receipt: the sale on the receipt roll (80 mm by default), as long as the receipt.
            let sale = try await admin.create("sales", PharmacyFixture.sale(amoxicillin, 2, payments: [["method": "cash", "amount": 2_000]]))
            let receipt = try await boss.get("/t/pharm/sales/\(sale["id"]!)/print").text
            BillingPrintoutTests.expectOnlyTheDocument(receipt)
            #expect(receipt.contains(#"class="paper roll""#) && receipt.contains("page.css?size=80x"))
            #expect(receipt.contains("<h1>Sale \(sale["number"] as! String)</h1>") && receipt.contains("2 × Product AMOX"))
            #expect(receipt.contains("TOTAL</th><td class=\"amount\"><strong>EUR 10.00</strong>") && receipt.contains("Change"))
            #expect(try await boss.get("/t/pharm/sales/\(sale["id"]!)").text.contains("Print receipt"))
        }
    }

    @Test func theTenantFileSaysWhatPaperItCanPrintOn() throws {
        let workspace = try TestWorkspace()
        try workspace.write(
            "pharm",
            TestTenant.yaml(
                "pharm",
                domain: "pharmacy",
                extra: "printing:\n  paper: Legal\n  receipt_width: 30mm\n  label: 70mm by 36mm\n  color: yes"
            )
        )
        let problems = workspace.check().problems.map(\.description)
        #expect(problems.contains { $0.contains("pharm.yaml:") && $0.contains("printing.paper must be A4 or Letter") })
        #expect(problems.contains { $0.contains("printing.receipt_width must be the roll's width from 40mm to 120mm") })
        #expect(problems.contains { $0.contains("printing.label must be the label's width x height from 20mm to 200mm, e.g. 70mm x 36mm") })
        #expect(problems.contains { $0.contains("color") })
    }
}
