import ClinicBox
import ClinicBoxCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Products and receiving stock as a pharmacy manager does it in the browser.
@Suite struct InventoryPagesTests {
    @Test func aManagerAddsAProductReceivesStockAndStaffFindIt() async throws {
        let scenario = try await ClinicScenario(tenant: "pharm") { try await PharmacyFixture.server($0) }
        try await scenario.run { session in
            var manager = WebBrowser(session.client)
            try await manager.signIn(tenant: "pharm", email: "manager@example.com", password: TestUsers.password)
            try await manager.get("/t/pharm/inventory/new")
            let bad = try await manager.post("/t/pharm/inventory", ["sku": "with space", "name": "", "reorder_level": "-1"])
            #expect(bad.status == .unprocessableContent)
            #expect(
                bad.cells.contains("must not contain spaces") && bad.cells.contains(#"id="name-error""#)
                    && bad.cells.contains(#"id="reorder_level-error""#)
            )

            let created = try await manager.post(
                "/t/pharm/inventory",
                ["sku": "IBU400", "name": "Ibuprofen", "strength": "400 mg", "form": "tablet", "reorder_level": "20", "active": "true"]
            )
            let path = try #require(created.headers[.location])
            try await manager.get(path)
            let expired = try await manager.post(
                path + "/receive",
                ["branch": "main", "batch_number": "IB-1", "expiry": "2020-01-01", "quantity": "50", "cost_price": "0.80", "selling_price": "1.50"]
            )
            #expect(
                expired.status == .unprocessableContent && expired.cells.contains("expired stock cannot be received")
                    && expired.cells.contains(#"value="IB-1""#)
            )
            let received = try await manager.post(
                path + "/receive",
                ["branch": "main", "batch_number": "IB-1", "expiry": "2031-03-31", "quantity": "12", "cost_price": "0.80", "selling_price": "1.50"]
            )
            #expect(received.headers[.location] == path + "?received=1")
            let shown = try await manager.get(path + "?received=1")
            #expect(
                shown.cells.contains("Stock received.")
                    && shown.cells.contains(
                        #"<td>Main Street</td><td><a href="/t/pharm/inventory/batches/1">IB-1</a></td><td>31 Mar 2031</td><td>12</td><td>EUR 1.50</td>"#
                    )
            )

            let found = try await manager.get("/t/pharm/inventory?q=IBU400")
            #expect(found.cells.contains(">Ibuprofen 400 mg</a></td><td>12 <span class=\"badge\">reorder</span>"))  // 12 ≤ reorder level 20
            let dashboard = try await manager.get("/t/pharm/")
            #expect(dashboard.cells.contains("<h2>Low stock</h2>") && dashboard.cells.contains("Ibuprofen: 12 left (reorder at 20)"))

            // The catalogue entry is edited; a stale copy of the form overwrites nothing.
            let edit = try await manager.get(path + "/edit")
            #expect(edit.cells.contains(#"value="IBU400""#) && edit.cells.contains(#"name="version" value="1""#))
            let product = [
                "version": "1", "sku": "IBU400", "name": "Ibuprofen", "strength": "400 mg", "form": "tablet", "reorder_level": "5", "active": "true",
            ]
            #expect(try await manager.post(path, product).headers[.location] == path)
            let stale = try await manager.post(path, product.merging(["reorder_level": "50"]) { $1 })
            #expect(stale.status == .conflict && stale.cells.contains("was changed since you read it") && stale.cells.contains(#"value="50""#))
            #expect(!(try await manager.get("/t/pharm/inventory?q=IBU400").cells.contains("reorder</span>")))  // 12 > 5 now

            // Two packs broke; four go to the North Road branch.
            let batchPath = try #require(
                shown.cells.range(of: #"/t/pharm/inventory/batches/\d+"#, options: .regularExpression).map { String(shown.cells[$0]) }
            )
            try await manager.get(batchPath)
            let noReason = try await manager.post(batchPath + "/adjust", ["change": "-2", "reason": ""])
            #expect(
                noReason.status == .unprocessableContent && noReason.cells.contains(#"id="reason-error""#) && noReason.cells.contains(#"value="-2""#)
            )
            let negative = try await manager.post(batchPath + "/adjust", ["change": "-50", "reason": "count"])
            #expect(negative.status == .conflict && negative.cells.contains("The batch holds 12; a change of -50 would leave -38."))
            #expect(try await manager.post(batchPath + "/adjust", ["change": "-2", "reason": "broken in delivery"]).status == .seeOther)
            #expect(try await manager.post(batchPath + "/transfer", ["to_branch": "north", "transfer_quantity": "4"]).status == .seeOther)
            let moved = try await manager.get(path)
            #expect(moved.cells.contains("<td>31 Mar 2031</td><td>6</td>") && moved.cells.contains("<td>31 Mar 2031</td><td>4</td>"))

            // A controlled product's movements appear in the register.
            let api = try await session.signIn("manager@example.com")
            try await PharmacyFixture.stock(api, sku: "MORPH10", quantity: 5, product: ["controlled": true])
            let register = try await manager.get("/t/pharm/inventory/register")
            #expect(register.cells.contains("<td>Product MORPH10</td><td>Main Street</td><td>+5</td><td>5</td><td>received</td>"))

            // Staff may look stock up but not change the catalogue.
            var cashier = WebBrowser(session.client)
            try await cashier.signIn(tenant: "pharm", email: "cashier@example.com", password: TestUsers.password)
            #expect(try await cashier.get("/t/pharm/inventory/new").status == .forbidden)
            #expect(try await cashier.get("/t/pharm/inventory?q=ibu").cells.contains(">Ibuprofen 400 mg</a></td><td>6"))  // main only
        }
    }
}
