import Foundation
import GRDB
import HummingbirdTesting
import Testing

@testable import ClinicBox
@testable import ClinicBoxCore
@testable import Prescriptions
@testable import Sales

/// The pharmacy's prescription path end to end (issue #31, item 4): pharmacists at the till where the tenant grants
/// it, dispensing recorded with batch, expiry and the pharmacist's name, returned medicine quarantined, the till's
/// change and receipt, outside prescribers and early repeats.
@Suite struct PharmacyPathTests {
    /// The pharmacy fixture, with `grants:` in its file when given.
    static func server(_ workspace: TestWorkspace, grants: String = "") async throws -> ClinicBoxServer {
        try workspace.write("pharm", PharmacyFixture.yaml(features: ["patients", "inventory", "sales", "prescriptions"]) + grants)
        let server = try await workspace.server()
        let accounts = try await server.accounts("pharm")
        for (email, name, role, branches) in [
            ("boss@example.com", "Grace Boss", Role.admin, [String]()), ("manager@example.com", "Mo Manager", .manager, []),
            ("pharmacist@example.com", "Pat Mwangi", .clinician, []), ("cashier@example.com", "Cass Hier", .staff, ["main"]),
        ] {
            _ = try await accounts.create(
                .init(email: email, displayName: name, role: role, branches: branches, password: TestUsers.password),
                by: .commandLine
            )
        }
        return server
    }

    @Test func aPharmacistSellsAtTheTillOnlyWhereTheTenantGrantsIt() async throws {
        for granted in [false, true] {
            let workspace = try TestWorkspace()
            let server = try await Self.server(workspace, grants: granted ? "\ngrants:\n  clinician: [sales.read, sales.write]\n" : "")
            try await server.application.test(.router) { client in
                let boss = try await APIClient.signIn(client, tenant: "pharm", email: "boss@example.com")
                let (plasters, _) = try await PharmacyFixture.stock(boss, sku: "PLAST", quantity: 10, price: 300)
                let pharmacist = try await APIClient.signIn(client, tenant: "pharm", email: "pharmacist@example.com")
                let sale = try await pharmacist.post("sales", PharmacyFixture.sale(plasters, 1, payments: [["method": "cash", "amount": 300]]))
                #expect(sale.status == (granted ? .created : .forbidden), "granted: \(granted): \(sale.text)")
                var browser = WebBrowser(client)
                try await browser.signIn(tenant: "pharm", email: "pharmacist@example.com", password: TestUsers.password)
                #expect(try await browser.get("/t/pharm/sales").status == (granted ? .ok : .forbidden))
                #expect(
                    try await browser.get("/t/pharm/").text.contains(">Till</a>") == granted,
                    "the navigation offers the till only where it may be used"
                )
            }
        }
    }

    @Test func aDispensingIsRecordedWithBatchExpiryAndThePharmacistsNameAndNeverRewritten() async throws {
        let scenario = try await ClinicScenario(tenant: "pharm") { try await Self.server($0) }
        let server = scenario.server
        try await scenario.run { session in
            let boss = try await session.signIn("boss@example.com")
            let pharmacist = try await session.signIn("pharmacist@example.com")
            let (amoxicillin, _) = try await PharmacyFixture.stock(boss, sku: "AMOX", quantity: 30, batch: "AM-2401", expiry: "2030-01-31")
            let patient = try #require(try await pharmacist.create("patients", TestRecords.ada)["id"] as? Int)
            let rx = try await pharmacist.create(
                "prescriptions",
                [
                    "patient_id": patient,
                    "items": [["medicine": "Amoxicillin", "dose": "1 three times a day", "quantity": 15, "product_id": amoxicillin]],
                ]
            )
            let item = try #require((rx["items"] as? [[String: Any]])?.first?["id"] as? Int)
            let dispensed = try await pharmacist.create(
                "prescriptions/\(rx["id"]!)/dispense",
                ["branch": "main", "items": [["item_id": item, "quantity": 15]]]
            )
            let record = (dispensed["items"] as? [[String: Any]])?.first.flatMap { ($0["dispensings"] as? [[String: Any]])?.first }
            #expect(record?["dispensed_by_name"] as? String == "Pat Mwangi" && record?["batch_number"] as? String == "AM-2401")

            var browser = WebBrowser(session.client)
            try await browser.signIn(tenant: "pharm", email: "manager@example.com", password: TestUsers.password)
            let page = try await browser.get("/t/pharm/prescriptions/\(rx["id"]!)").cells
            #expect(
                page.contains("<td>Amoxicillin</td><td>AM-2401</td><td>31 Jan 2030</td><td>15</td><td>Main Street</td><td>Pat Mwangi</td>"),
                "\(page)"
            )
            let timeline = ClinicalProbeTests.titles(try await boss.get("patients/\(patient)/chart").json)
            #expect(timeline.contains("Dispensed Amoxicillin × 15"))
            let detail =
                ((try await boss.get("patients/\(patient)/chart").json["timeline"] as? [[String: Any]]) ?? []).first {
                    $0["kind"] as? String == "dispensing"
                }?["detail"] as? String
            #expect(detail == "RX-000001 · by Pat Mwangi · batch AM-2401, expires 31 Jan 2030")

            let database = try await server.databases.database(for: TenantID("pharm")!)
            for sql in ["UPDATE prescription_dispensings SET quantity = 1", "DELETE FROM prescription_dispensings"] {
                await #expect(throws: DatabaseError.self, "\(sql)") { try await database.write { db in try db.execute(sql: sql) } }
            }
        }
    }

    @Test func returnedMedicineIsQuarantinedUnlessAPharmacistSaysItIsFitForResale() async throws {
        let workspace = try TestWorkspace()
        let server = try await Self.server(
            workspace,
            grants: "\ngrants:\n  clinician: [sales.read, sales.write, sales.refund]\n  staff: [sales.refund]\n"
        )
        try await server.application.test(.router) { client in
            let boss = try await APIClient.signIn(client, tenant: "pharm", email: "boss@example.com")
            let (ibuprofen, _) = try await PharmacyFixture.stock(boss, sku: "IBU", quantity: 10, price: 300)
            let cashier = try await APIClient.signIn(client, tenant: "pharm", email: "cashier@example.com")
            let sale = try await cashier.create("sales", PharmacyFixture.sale(ibuprofen, 4, payments: [["method": "cash", "amount": 1200]]))
            let (saleID, itemID) = (sale["id"] as? Int ?? 0, (sale["items"] as? [[String: Any]])?.first?["id"] as? Int ?? 0)
            let byCashier = try await cashier.post(
                "sales/\(saleID)/refunds",
                ["items": [["sale_item_id": itemID, "quantity": 1]], "reason": "wrong strength", "restock": true]
            )
            #expect(byCashier.status == .forbidden, "a cashier refunds, but does not judge medicine fit for resale")
            _ = try await cashier.create(
                "sales/\(saleID)/refunds",
                ["items": [["sale_item_id": itemID, "quantity": 1]], "reason": "wrong strength"]
            )
            #expect(try await PharmacyFixture.quantity(server, product: ibuprofen) == 6)
            let pharmacist = try await APIClient.signIn(client, tenant: "pharm", email: "pharmacist@example.com")
            _ = try await pharmacist.create(
                "sales/\(saleID)/refunds",
                ["items": [["sale_item_id": itemID, "quantity": 2]], "reason": "unopened, checked", "restock": true]
            )
            #expect(try await PharmacyFixture.quantity(server, product: ibuprofen) == 8)

            var browser = WebBrowser(client)
            try await browser.signIn(tenant: "pharm", email: "pharmacist@example.com", password: TestUsers.password)
            let stock = try await browser.get("/t/pharm/inventory/\(ibuprofen)").text
            #expect(stock.contains("<h2>Quarantined</h2>") && stock.contains("Main Street: <strong>1</strong>"))
            let receipt = try await browser.get("/t/pharm/sales/\(saleID)").text
            #expect(receipt.contains("Fit for resale: put the units back into stock"))
            var desk = WebBrowser(client)
            try await desk.signIn(tenant: "pharm", email: "cashier@example.com", password: TestUsers.password)
            #expect(!(try await desk.get("/t/pharm/sales/\(saleID)").text.contains("Fit for resale")), "not offered to whom it is not for")
        }
    }

    @Test func theTillOffersChangeOnlyFromCashAndTheReceiptNamesThePrescriptionTheCashierAndWhatCameBack() async throws {
        let scenario = try await ClinicScenario(tenant: "pharm") { try await Self.server($0) }
        try await scenario.run { session in
            let boss = try await session.signIn("boss@example.com")
            let (amoxicillin, _) = try await PharmacyFixture.stock(boss, sku: "AMOX", quantity: 30, price: 250)
            let pharmacist = try await session.signIn("pharmacist@example.com")
            let patient = try #require(try await pharmacist.create("patients", TestRecords.ada)["id"] as? Int)
            _ = try await pharmacist.create(
                "prescriptions",
                [
                    "patient_id": patient,
                    "items": [["medicine": "Amoxicillin", "dose": "1 three times a day", "quantity": 2, "product_id": amoxicillin]],
                ]
            )

            var cashier = WebBrowser(session.client)
            try await cashier.signIn(tenant: "pharm", email: "cashier@example.com", password: TestUsers.password)
            try await cashier.get("/t/pharm/sales")
            let basket = ["branch": "main", "line_0": "AMOX", "qty_0": "2", "prescription_reference": "RX-000001", "scan": ""]
            let byCard = try await cashier.post("/t/pharm/sales", basket.merging(["card": "10.00"]) { $1 })
            #expect(!byCard.text.contains("Change to give") && byCard.text.contains("only cash gives change"), "card over the total gives no change")
            // Cash that covers the total completes the sale (Enter in the cash box), and the change is on the receipt.
            let sold = try await cashier.post("/t/pharm/sales", basket.merging(["cash": "10.00"]) { $1 })
            let receiptPath = try #require(sold.headers[.location]).replacingOccurrences(of: "?new=1", with: "")

            let saleID = Int(receiptPath.split(separator: "/").last ?? "") ?? 0
            let sale = try await boss.get("sales/\(saleID)").json
            let itemID = (sale["items"] as? [[String: Any]])?.first?["id"] as? Int ?? 0
            _ = try await boss.create("sales/\(saleID)/refunds", ["items": [["sale_item_id": itemID, "quantity": 1]], "reason": "one too many"])
            let receipt = try await boss.get("sales/\(saleID)/receipt").text
            #expect(receipt.contains("Served by Cass Hier\nPrescription RX-000001\n"), "\(receipt)")
            #expect(receipt.contains("2 × Product AMOX") && receipt.contains("\n  1 returned\n"))
            #expect(receipt.contains("Change") && receipt.contains("EUR 5.00"))
        }
    }

    @Test func aPrescriptionBroughtInNamesItsOutsidePrescriberAndWhoEnteredIt() async throws {
        let scenario = try await ClinicScenario(tenant: "pharm") { try await Self.server($0) }
        try await scenario.run { session in
            let pharmacist = try await session.signIn("pharmacist@example.com")
            let patient = try #require(try await pharmacist.create("patients", TestRecords.ada)["id"] as? Int)
            let body: [String: Any] = ["patient_id": patient, "items": [["medicine": "Metformin", "dose": "1 twice a day", "quantity": 60]]]
            let missing = try await pharmacist.post("prescriptions", body.merging(["outside_prescriber": ["name": "Dr Wanjiru Kamau"]]) { $1 })
            #expect(missing.fieldErrors == ["outside_prescriber.registration_number": "is required"])
            let entered = try await pharmacist.create(
                "prescriptions",
                body.merging([
                    "outside_prescriber": ["name": "Dr Wanjiru Kamau", "registration_number": "A1234", "practice": "Kenyatta Hospital"]
                ]) { $1 }
            )
            #expect(entered["prescriber_name"] as? String == "Dr Wanjiru Kamau" && entered["prescriber_registration"] as? String == "A1234")
            #expect(
                entered["entered_by_name"] as? String == "Pat Mwangi" && entered["prescriber_id"] is NSNull,
                "the pharmacist is recorded as entering it, not as its prescriber"
            )

            var browser = WebBrowser(session.client)
            try await browser.signIn(tenant: "pharm", email: "pharmacist@example.com", password: TestUsers.password)
            try await browser.get("/t/pharm/prescriptions/new")
            let half = try await browser.post(
                "/t/pharm/prescriptions",
                ["patient": "P-000001", "medicine_0": "Metformin", "dose_0": "1 twice a day", "quantity_0": "60", "outside_name": "Dr Otieno"]
            )
            #expect(
                half.status == .unprocessableContent && half.text.contains("write the prescriber&#39;s registration number")
                    && half.text.contains(#"value="Dr Otieno""#)
            )
            let written = try await browser.post(
                "/t/pharm/prescriptions",
                [
                    "patient": "P-000001", "medicine_0": "Metformin", "dose_0": "1 twice a day", "quantity_0": "60", "outside_name": "Dr Otieno",
                    "outside_registration": "B-77",
                ]
            )
            let page = try await browser.get(try #require(written.headers[.location])).text
            #expect(page.contains("<dd>Dr Otieno, registration B-77</dd>") && page.contains("<dt>Entered by</dt><dd>Pat Mwangi"))
        }
    }

    @Test(
        arguments: [
            ("1 capsule 3 times a day", 21, 7), ("2 tablets twice daily", 56, 14), ("1 tablet at night", 30, 30), ("10 ml every 8 hours", 300, 10),
            ("1 tds", 90, 30), ("as directed", 30, RepeatInterval.fallbackDays), ("1 weekly", 4, 28),
        ] as [(String, Int64, Int64)]
    )
    func aRepeatsIntervalIsHowLongTheSupplyLastsAtTheDose(dose: String, quantity: Int64, days: Int64) {
        #expect(RepeatInterval.days(dose: dose, quantity: quantity) == days, "\(dose) × \(quantity)")
    }

    @Test func anEarlyRepeatIsDispensedOnlyWithAReasonGivenOnTheForm() async throws {
        let scenario = try await ClinicScenario(tenant: "pharm") { try await Self.server($0) }
        let server = scenario.server
        try await scenario.run { session in
            let boss = try await session.signIn("boss@example.com")
            _ = try await PharmacyFixture.stock(boss, sku: "MET", quantity: 200, price: 20)
            let pharmacist = try await session.signIn("pharmacist@example.com")
            let patient = try #require(try await pharmacist.create("patients", TestRecords.ada)["id"] as? Int)
            let rx = try await pharmacist.create(
                "prescriptions",
                ["patient_id": patient, "items": [["medicine": "Metformin", "dose": "1 tablet twice a day", "quantity": 56, "repeats": 2]]]
            )
            #expect((rx["items"] as? [[String: Any]])?.first?["repeat_interval_days"] as? Int == 28)
            var browser = WebBrowser(session.client)
            try await browser.signIn(tenant: "pharm", email: "pharmacist@example.com", password: TestUsers.password)
            let path = "/t/pharm/prescriptions/\(rx["id"]!)"
            try await browser.get(path)
            #expect(
                try await browser.post(path + "/dispense", ["branch": "main", "item_0": "1", "sku_0": "MET", "quantity_0": "56"]).status == .seeOther
            )
            try await browser.get(path)
            let early = try await browser.post(path + "/dispense", ["branch": "main", "item_0": "1", "sku_0": "MET", "quantity_0": "56"])
            #expect(
                early.status == .conflict && early.text.contains("<h2>Early repeat</h2>")
                    && early.text.contains("The repeat of Metformin on RX-000001 is due from")
            )
            #expect(early.text.contains("Reason to dispense the repeat early") && early.text.contains(#"name="sku_0" value="MET""#))
            let given = try await browser.post(
                path + "/dispense",
                ["branch": "main", "item_0": "1", "sku_0": "MET", "quantity_0": "56", "early_repeat_reason": "Travelling for a month"]
            )
            #expect(given.status == .seeOther)
            let database = try await server.databases.database(for: TenantID("pharm")!)
            let kept = try await database.read { db in
                try String.fetchAll(db, sql: "SELECT early_repeat_reason FROM prescription_dispensings WHERE early_repeat_reason IS NOT NULL")
            }
            #expect(kept == ["Travelling for a month"])
            #expect(
                try await database.read { db in
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_log WHERE action = 'prescriptions.early_repeat'")
                } == 1
            )
        }
    }

    @Test func aMedicineIsChosenFromTheProductsOnTheFormAndSoldAtTheTillAgainstThePrescription() async throws {
        let scenario = try await ClinicScenario(tenant: "pharm") { try await Self.server($0) }
        try await scenario.run { session in
            let boss = try await session.signIn("boss@example.com")
            let (ibuprofen, _) = try await PharmacyFixture.stock(
                boss,
                sku: "IBU400",
                quantity: 20,
                price: 150,
                product: ["name": "Brufen", "generic_name": "ibuprofen", "strength": "400 mg"]
            )
            let pharmacist = try await session.signIn("pharmacist@example.com")
            _ = try await pharmacist.create("patients", TestRecords.ada)
            var browser = WebBrowser(session.client)
            try await browser.signIn(tenant: "pharm", email: "pharmacist@example.com", password: TestUsers.password)
            try await browser.get("/t/pharm/prescriptions/new?patient=P-000001")
            let typed = [
                "patient": "P-000001", "medicine_0": "Ibuprofen", "dose_0": "1 tablet 3 times a day", "quantity_0": "10",
                "medicine_1": "Hydrocortisone cream", "dose_1": "thinly twice a day", "quantity_1": "1",
            ]
            let asked = try await browser.post("/t/pharm/prescriptions", typed)
            #expect(
                asked.status == .ok && asked.text.contains("Which product is “Ibuprofen”?") && asked.text.contains("> Brufen 400 mg tablet</label>")
            )
            #expect(!asked.text.contains("Which product is “Hydrocortisone cream”?"), "nothing stocked matches: kept as written without a question")
            #expect(asked.text.contains(#"value="Ibuprofen""#) && asked.text.contains(#"value="thinly twice a day""#), "what was typed is kept")
            // A medicine changed after choosing is asked about again.
            let changed = try await browser.post(
                "/t/pharm/prescriptions",
                typed.merging(["product_0": String(ibuprofen), "product_for_0": "Ibuprof"]) { $1 }
            )
            #expect(changed.text.contains("Which product is “Ibuprofen”?"))
            let written = try await browser.post(
                "/t/pharm/prescriptions",
                typed.merging(["product_0": String(ibuprofen), "product_for_0": "Ibuprofen"]) { $1 }
            )
            #expect(written.status == .seeOther, "\(written.text)")
            let rx = try await boss.get("prescriptions/1").json
            #expect((rx["items"] as? [[String: Any]])?.map { $0["product_id"] as? Int } == [ibuprofen, nil])

            // At the till, the prescription's product sells against it.
            let sold = try await boss.create(
                "sales",
                PharmacyFixture.sale(ibuprofen, 10, payments: [["method": "cash", "amount": 1500]], extra: ["prescription_id": 1])
            )
            #expect(sold["prescription_id"] as? Int == 1)
            #expect((try await boss.get("prescriptions/1").json["items"] as? [[String: Any]])?.first?["dispensed_quantity"] as? Int == 10)
            // "Not stocked here" keeps the medicine as written.
            let notStocked = try await browser.post(
                "/t/pharm/prescriptions",
                typed.merging(["product_0": "none", "product_for_0": "Ibuprofen"]) { $1 }
            )
            #expect(notStocked.status == .seeOther)
            #expect((try await boss.get("prescriptions/2").json["items"] as? [[String: Any]])?.first?["product_id"] is NSNull)
        }
    }
}
