import ClinicBox
import ClinicBoxCore
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The till, through the real HTTP stack: stock, tax, payments, prescriptions, refunds and races.
@Suite struct SalesAPITests {
    @Test func aSaleTakesTheEarliestExpiryFirstAndAddsUp() async throws {
        let scenario = try await ClinicScenario(tenant: "pharm") { try await PharmacyFixture.server($0) }
        let server = scenario.server
        try await scenario.run { session in
            let manager = try await session.signIn("manager@example.com")
            let cashier = try await session.signIn("cashier@example.com")
            let (product, _) = try await PharmacyFixture.stock(manager, sku: "IBU", quantity: 5, price: 300, batch: "LATE", expiry: "2031-06-30")
            try await PharmacyFixture.stock(manager, sku: "IBU", quantity: 2, price: 250, batch: "EARLY", expiry: "2030-03-31")
            // 3 units: both of the early batch (2 × 250), then 1 of the late one (300) = 800; 20 % included → tax 133.
            let sale = try await cashier.create(
                "sales",
                [
                    "branch": "main", "items": [["sku": "IBU", "quantity": 3]], "discount": 0,
                    "payments": [["method": "card", "amount": 500], ["method": "cash", "amount": 500]],
                ]
            )
            #expect(sale["number"] as? String == "S-000001")
            #expect(sale["subtotal"] as? Int == 800 && sale["total"] as? Int == 800 && sale["tax"] as? Int == 133)
            #expect(sale["paid"] as? Int == 1000 && sale["change_due"] as? Int == 200)
            let item = try #require((sale["items"] as? [[String: Any]])?.first)
            #expect((item["batches"] as? [[String: Any]])?.map { $0["batch_number"] as? String } == ["EARLY", "LATE"])
            #expect(try await PharmacyFixture.quantity(server, product: product) == 4)

            let receipt = try await cashier.get("sales/\(sale["id"] as? Int ?? 0)/receipt")
            #expect(receipt.headers[.contentType] == "text/plain; charset=utf-8")
            #expect(receipt.text.contains("Main Street") && receipt.text.contains("EUR 8.00") && receipt.text.contains("Tax 20% (included)"))
            #expect(receipt.text.contains("Change") && receipt.text.contains("EUR 2.00"))
        }
    }

    @Test func aSaleThatCannotCompleteLeavesStockAsItWas() async throws {
        let scenario = try await ClinicScenario(tenant: "pharm") { try await PharmacyFixture.server($0) }
        let server = scenario.server
        try await scenario.run { session in
            let manager = try await session.signIn("manager@example.com")
            let (product, batch) = try await PharmacyFixture.stock(manager, sku: "VITC", quantity: 5, price: 100)
            let (other, _) = try await PharmacyFixture.stock(manager, sku: "ZINC", quantity: 1, price: 100)
            let short = try await manager.post("sales", PharmacyFixture.sale(product, 2, payments: [["method": "card", "amount": 150]]))
            #expect(short.status == .unprocessableContent && short.fieldErrors["payments"] == "add up to EUR 1.50, less than the total of EUR 2.00")
            let overCharged = try await manager.post("sales", PharmacyFixture.sale(product, 2, payments: [["method": "card", "amount": 300]]))
            #expect(overCharged.fieldErrors["payments"]?.contains("only cash can give change") == true)
            // The first line could be taken; the second cannot: neither is.
            let twoLines = try await manager.post(
                "sales",
                [
                    "branch": "main", "items": [["product_id": product, "quantity": 2], ["product_id": other, "quantity": 2]],
                    "payments": [["method": "cash", "amount": 1000]],
                ]
            )
            #expect(twoLines.status == .conflict)
            #expect(try await PharmacyFixture.quantity(server, product: product) == 5)

            // An expired batch is never sold, even when it is the only stock.
            let database = try await server.databases.database(for: TenantID("pharm")!, creating: true)
            try await database.write { db in try db.execute(sql: "UPDATE stock_batches SET expiry = '2020-01-01' WHERE id = ?", arguments: [batch]) }
            let expired = try await manager.post("sales", PharmacyFixture.sale(product, 1, payments: [["method": "cash", "amount": 100]]))
            #expect(expired.status == .conflict && (expired.json["detail"] as? String)?.hasPrefix("Only 0 of Product VITC in date") == true)
            #expect(try await manager.get("sales").items.isEmpty)
        }
    }

    @Test func prescriptionOnlyProductsNeedAPrescription() async throws {
        let scenario = try await ClinicScenario(tenant: "pharm") { try await PharmacyFixture.server($0) }
        let server = scenario.server
        try await scenario.run { session in
            let manager = try await session.signIn("manager@example.com")
            let (product, _) = try await PharmacyFixture.stock(
                manager,
                sku: "AMOX",
                quantity: 5,
                price: 400,
                product: ["requires_prescription": true]
            )
            let refused = try await manager.post("sales", PharmacyFixture.sale(product, 1, payments: [["method": "cash", "amount": 400]]))
            #expect(refused.status == .conflict)
            #expect(refused.fieldErrors["prescription_reference"] == "is required for Product AMOX")
            _ = try await manager.create(
                "sales",
                PharmacyFixture.sale(product, 1, payments: [["method": "cash", "amount": 400]], extra: ["prescription_reference": "RX-77"])
            )
            #expect(try await PharmacyFixture.quantity(server, product: product) == 4)
        }
    }

    @Test func aRefundQuarantinesUnlessFitForResaleAndOnlyManagersMayRefund() async throws {
        let scenario = try await ClinicScenario(tenant: "pharm") { try await PharmacyFixture.server($0) }
        let server = scenario.server
        try await scenario.run { session in
            let manager = try await session.signIn("manager@example.com")
            let cashier = try await session.signIn("cashier@example.com")
            let (product, _) = try await PharmacyFixture.stock(manager, sku: "GAUZE", quantity: 10, price: 200)
            let sale = try await cashier.create(
                "sales",
                PharmacyFixture.sale(product, 4, payments: [["method": "cash", "amount": 800]], extra: ["discount": 80])
            )
            #expect(sale["total"] as? Int == 720)
            let saleID = sale["id"] as? Int ?? 0
            let itemID = (sale["items"] as? [[String: Any]])?.first?["id"] as? Int ?? 0
            #expect(
                try await cashier.post("sales/\(saleID)/refunds", ["items": [["sale_item_id": itemID, "quantity": 1]], "reason": "x"]).status
                    == .forbidden
            )

            let partial = try await manager.create(
                "sales/\(saleID)/refunds",
                ["items": [["sale_item_id": itemID, "quantity": 1]], "reason": "damaged box"]
            )
            #expect(partial["status"] as? String == "partially_refunded" && partial["refunded"] as? Int == 180)
            #expect(try await PharmacyFixture.quantity(server, product: product) == 6, "returned medicine is quarantined, not put back on the shelf")
            let database = try await server.databases.database(for: TenantID("pharm")!)
            #expect(
                try await database.read { db in
                    try Int.fetchOne(db, sql: "SELECT sum(quantity) FROM stock_quarantine WHERE product_id = ?", arguments: [product])
                } == 1
            )
            let tooMany = try await manager.post("sales/\(saleID)/refunds", ["items": [["sale_item_id": itemID, "quantity": 4]], "reason": "all"])
            #expect(tooMany.fieldErrors["items[0].quantity"] == "must be at most 3, the units not yet refunded")
            let rest = try await manager.create(
                "sales/\(saleID)/refunds",
                ["items": [["sale_item_id": itemID, "quantity": 3]], "reason": "changed mind, sealed", "restock": true]
            )
            #expect(rest["status"] as? String == "refunded" && rest["refunded"] as? Int == 720)
            #expect(try await PharmacyFixture.quantity(server, product: product) == 9, "the three said to be fit for resale are back")
        }
    }

    @Test func aCashierSellsOnlyInTheirBranch() async throws {
        let scenario = try await ClinicScenario(tenant: "pharm") { try await PharmacyFixture.server($0) }
        try await scenario.run { session in
            let manager = try await session.signIn("manager@example.com")
            let cashier = try await session.signIn("cashier@example.com")
            let (product, _) = try await PharmacyFixture.stock(manager, sku: "TAPE", quantity: 3, branch: "north")
            var body = PharmacyFixture.sale(product, 1, payments: [["method": "cash", "amount": 500]])
            body["branch"] = "north"
            let refused = try await cashier.post("sales", body)
            #expect(refused.status == .forbidden && refused.json["title"] as? String == "Not your branch")
            let sold = try await manager.create("sales", body)
            #expect(try await cashier.get("sales/\(sold["id"] as? Int ?? 0)").status == .notFound)
            #expect(try await cashier.get("sales").items.isEmpty)
        }
    }

    /// A till that loses its connection retries with the same key: the customer is charged once.
    @Test func aRetriedSaleSellsOnce() async throws {
        let scenario = try await ClinicScenario(tenant: "pharm") { try await PharmacyFixture.server($0) }
        let server = scenario.server
        try await scenario.run { session in
            let manager = try await session.signIn("manager@example.com")
            let (product, _) = try await PharmacyFixture.stock(manager, sku: "ORS", quantity: 5, price: 100)
            let body = PharmacyFixture.sale(product, 2, payments: [["method": "cash", "amount": 200]])
            let first = try await manager.post("sales", body, headers: ["Idempotency-Key": "till-1-0042"])
            let retry = try await manager.post("sales", body, headers: ["Idempotency-Key": "till-1-0042"])
            #expect(first.status == .created && retry.text == first.text)
            #expect(try await PharmacyFixture.quantity(server, product: product) == 3)
        }
    }

    @Test func fiftyParallelSalesOfTheLastTenUnitsSellExactlyTen() async throws {
        let scenario = try await ClinicScenario(tenant: "pharm") { try await PharmacyFixture.server($0) }
        let server = scenario.server
        try await scenario.run { session in
            let manager = try await session.signIn("manager@example.com")
            let (product, _) = try await PharmacyFixture.stock(manager, sku: "LAST", quantity: 10, price: 100)
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        try await manager.post("sales", PharmacyFixture.sale(product, 1, payments: [["method": "cash", "amount": 100]])).status
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 10)
            #expect(statuses.filter { $0 == .conflict }.count == 40)
            #expect(try await PharmacyFixture.quantity(server, product: product) == 0)
            #expect(try await manager.get("sales?limit=200").items.count == 10)
        }
    }
}
