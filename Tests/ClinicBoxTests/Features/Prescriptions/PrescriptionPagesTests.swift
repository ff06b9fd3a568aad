import ClinicBox
import ClinicBoxCore
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Writing, dispensing and cancelling prescriptions in the browser.
@Suite struct PrescriptionPagesTests {
    @Test func aPharmacistWritesDispensesPartlyAndCancels() async throws {
        let workspace = try TestWorkspace()
        let server = try await PharmacyFixture.server(workspace, features: ["patients", "inventory", "sales", "prescriptions"])
        try await server.application.test(.router) { client in
            let manager = try await APIClient.signIn(client, tenant: "pharm", email: "manager@example.com")
            try await PharmacyFixture.stock(manager, sku: "AMOX500", quantity: 30, price: 40)
            var pharmacist = WebBrowser(client)
            try await pharmacist.signIn(tenant: "pharm", email: "pharmacist@example.com", password: TestUsers.password)
            try await pharmacist.get("/t/pharm/patients/new")
            try await pharmacist.post("/t/pharm/patients", ["first_name": "Ada", "last_name": "Lovelace"])

            try await pharmacist.get("/t/pharm/prescriptions/new")
            let bad = try await pharmacist.post(
                "/t/pharm/prescriptions",
                ["patient": "P-404", "medicine_0": "Amoxicillin", "dose_0": "", "quantity_0": "x"]
            )
            #expect(bad.status == .unprocessableContent)
            #expect(
                bad.text.contains("no patient matches “P-404”") && bad.text.contains(#"id="dose_0-error""#)
                    && bad.text.contains(#"id="quantity_0-error""#)
            )
            #expect(bad.text.contains(#"value="Amoxicillin""#))

            let written = try await pharmacist.post(
                "/t/pharm/prescriptions",
                ["patient": "P-000001", "medicine_0": "Amoxicillin", "strength_0": "500 mg", "dose_0": "1 capsule 3 times a day", "quantity_0": "21"]
            )
            let path = try #require(written.headers[.location]).replacingOccurrences(of: "?saved=1", with: "")
            let shown = try await pharmacist.get(path)
            #expect(shown.text.contains("Prescription RX-000001") && shown.text.contains("0 (21 left)") && shown.text.contains(">Dispense</button>"))

            let noSKU = try await pharmacist.post(path + "/dispense", ["branch": "main", "item_0": "1", "quantity_0": "10", "sku_0": ""])
            #expect(noSKU.status == .unprocessableContent && noSKU.text.contains("scan or type the product&#39;s SKU"))
            let tooMany = try await pharmacist.post(path + "/dispense", ["branch": "main", "item_0": "1", "quantity_0": "22", "sku_0": "AMOX500"])
            #expect(tooMany.status == .unprocessableContent && tooMany.text.contains("must be at most 21"))
            let dispensed = try await pharmacist.post(path + "/dispense", ["branch": "main", "item_0": "1", "quantity_0": "10", "sku_0": "AMOX500"])
            #expect(dispensed.headers[.location] == path + "?dispensed=1")
            let after = try await pharmacist.get(path + "?dispensed=1")
            #expect(after.text.contains("partially dispensed") && after.text.contains("10 (11 left)"))
            #expect(!after.text.contains("Cancel this prescription"))  // only pending ones can be cancelled
            #expect(try await pharmacist.get("/t/pharm/").text.contains("RX-000001 Ada Lovelace"))

            // At the till, the prescription's number links the sale to it and to its patient.
            var cashier = WebBrowser(client)
            try await cashier.signIn(tenant: "pharm", email: "cashier@example.com", password: TestUsers.password)
            try await cashier.get("/t/pharm/sales")
            let till = try await cashier.post("/t/pharm/sales", ["branch": "main", "scan": "AMOX500"])
            #expect(till.text.contains("Prescription number (RX-…) or a paper prescription&#39;s reference"))
            let sold = try await cashier.post(
                "/t/pharm/sales",
                ["branch": "main", "line_0": "AMOX500", "qty_0": "1", "do": "complete", "cash": "1", "prescription_reference": "rx-000001"]
            )
            #expect(sold.status == .seeOther)
            // The sale dispensed the prescription: the same path as the Dispense button.
            let afterSale = try await pharmacist.get(path)
            #expect(afterSale.text.contains("11 (10 left)"))
            // An allergy found since stops the next sale; going ahead is not the cashier's decision, so the till says
            // whom to ask and offers no reason box.
            try await pharmacist.get("/t/pharm/patients/1")
            try await pharmacist.post("/t/pharm/patients/1/allergies", ["substance": "Penicillin", "severity": "severe"])
            let stopped = try await cashier.post(
                "/t/pharm/sales",
                ["branch": "main", "line_0": "AMOX500", "qty_0": "1", "do": "complete", "cash": "1", "prescription_reference": "RX-000001"]
            )
            #expect(stopped.status == .conflict && stopped.text.contains("Going ahead despite it is for those who may dispense prescriptions: ask "))
            #expect(!stopped.text.contains("Reason to go ahead despite the allergy"))
            #expect(try await pharmacist.get(path).text.contains("11 (10 left)"), "nothing was sold")

            // Notes change (versioned): a stale form overwrites nothing.
            let version = try #require(
                afterSale.text.range(of: #"name="version" value="\d+""#, options: .regularExpression).map {
                    String(afterSale.text[$0].dropFirst(22).dropLast())
                }
            )
            #expect(try await pharmacist.post(path + "/notes", ["version": version, "notes": "Patient asked for blister packs"]).status == .seeOther)
            #expect(try await pharmacist.get(path).text.contains(">Patient asked for blister packs</textarea>"))
            #expect(try await pharmacist.post(path + "/notes", ["version": version, "notes": "older text"]).status == .conflict)

            let second = try await pharmacist.post(
                "/t/pharm/prescriptions",
                ["patient": "P-000001", "medicine_0": "Ibuprofen", "dose_0": "as needed", "quantity_0": "10"]
            )
            let secondPath = try #require(second.headers[.location]).replacingOccurrences(of: "?saved=1", with: "")
            #expect(try await pharmacist.get(secondPath + "/cancel").text.contains("Cancel prescription RX-000002?"))
            try await pharmacist.post(secondPath + "/cancel", [:])
            #expect(try await pharmacist.get(secondPath).text.contains(#"<span class="badge">cancelled</span>"#))

            // The list: newest first, found by the patient's name or the prescription's number, filtered by status, paged.
            try await pharmacist.post("/t/pharm/patients", ["first_name": "Grace", "last_name": "Hopper"])
            try await pharmacist.post(
                "/t/pharm/prescriptions",
                ["patient": "P-000002", "medicine_0": "Cetirizine", "dose_0": "1 daily", "quantity_0": "7"]
            )
            let all = try await pharmacist.get("/t/pharm/prescriptions").text
            #expect(all.contains("RX-000003") && all.range(of: "RX-000003")!.lowerBound < all.range(of: "RX-000001")!.lowerBound)
            let byName = try await pharmacist.get("/t/pharm/prescriptions?q=lovelace").text
            #expect(byName.contains("RX-000001") && byName.contains("RX-000002") && !byName.contains("RX-000003"))
            let byNumber = try await pharmacist.get("/t/pharm/prescriptions?q=rx-000002").text
            #expect(byNumber.contains("RX-000002") && !byNumber.contains("RX-000001"))
            let cancelled = try await pharmacist.get("/t/pharm/prescriptions?q=lovelace&status=cancelled").text
            #expect(cancelled.contains("RX-000002") && !cancelled.contains("RX-000001"))
            #expect(try await pharmacist.get("/t/pharm/prescriptions?q=nobody").text.contains("No prescription matches."))
            let first = try await pharmacist.get("/t/pharm/prescriptions?q=lovelace&limit=1").text
            let next = try #require(
                first.range(of: #"href="[^"]*cursor=[^"]*""#, options: .regularExpression).map { String(first[$0].dropFirst(6).dropLast()) }
            )
            #expect(first.contains("RX-000002") && !first.contains("RX-000001") && next.contains("q=lovelace"))
            let secondPage = try await pharmacist.get(next.replacingOccurrences(of: "&amp;", with: "&")).text
            #expect(secondPage.contains("RX-000001") && !secondPage.contains("RX-000002"))

            // Repeats at a chosen interval: the box beside them, checked like the API's repeat_interval_days.
            let yearly = try await pharmacist.post(
                "/t/pharm/prescriptions",
                [
                    "patient": "P-000001", "medicine_0": "Levothyroxine", "dose_0": "1 daily", "quantity_0": "28", "repeats_0": "2",
                    "interval_0": "400",
                ]
            )
            #expect(
                yearly.status == .unprocessableContent && yearly.text.contains("must be a number of days from 1 to 365")
                    && yearly.text.contains(#"value="400""#)
            )
            let monthly = try await pharmacist.post(
                "/t/pharm/prescriptions",
                ["patient": "P-000001", "medicine_0": "Levothyroxine", "dose_0": "1 daily", "quantity_0": "28", "repeats_0": "2", "interval_0": "25"]
            )
            #expect(try await pharmacist.get(try #require(monthly.headers[.location])).cells.contains("<td>2, every 25 days</td>"))
        }
        let database = try await server.databases.database(for: TenantID("pharm")!, creating: true)
        let left = try await database.read { db in try Int.fetchOne(db, sql: "SELECT sum(quantity) FROM stock_batches") }
        #expect(left == 19)  // 30 − 10 dispensed − 1 sold; the refused attempts took nothing
        let sale = try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT s.patient_id, r.number FROM sales s JOIN prescriptions r ON r.id = s.prescription_id").map {
                [$0["number"] as String, String($0["patient_id"] as Int64)]
            }
        }
        #expect(sale == ["RX-000001", "1"])
    }
}
