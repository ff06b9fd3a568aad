import ClinicBox
import ClinicBoxCore
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The till as a pharmacy cashier works it: scan, scan again, remove, pay, receipt.
@Suite struct TillPageTests {
    @Test func aCashierScansPaysInCashAndGetsAReceipt() async throws {
        let scenario = try await ClinicScenario(tenant: "pharm") { try await PharmacyFixture.server($0) }
        let server = scenario.server
        try await scenario.run { session in
            let boss = try await session.signIn("boss@example.com")
            try await PharmacyFixture.stock(boss, sku: "PARA500", quantity: 10, price: 250)
            try await PharmacyFixture.stock(boss, sku: "AMOX250", quantity: 5, price: 900, product: ["requires_prescription": true])

            var cashier = WebBrowser(session.client)
            try await cashier.signIn(tenant: "pharm", email: "cashier@example.com", password: TestUsers.password)
            let empty = try await cashier.get("/t/pharm/sales")
            #expect(empty.cells.contains(#"<input id="scan" name="scan" value="" autocomplete="off" autofocus>"#))
            #expect(empty.cells.contains(#"<input type="hidden" name="branch" value="main">"#))  // the cashier's only branch

            // A scanner types the SKU and Enter: the form's first button, Add.
            var basket = try await cashier.post("/t/pharm/sales", ["branch": "main", "scan": "para500"])
            basket = try await cashier.post(
                "/t/pharm/sales",
                ["branch": "main", "scan": "PARA500", "line_0": "PARA500", "qty_0": "1", "quantity": "2"]
            )
            #expect(basket.cells.contains(#"name="qty_0" type="number" min="0" value="3""#))  // changeable in the basket
            #expect(basket.cells.contains("<td>EUR 2.50</td><td>EUR 7.50</td>") && basket.cells.contains(#"<strong id="total">EUR 7.50</strong>"#))
            let unknown = try await cashier.post("/t/pharm/sales", ["branch": "main", "scan": "NOPE", "line_0": "PARA500", "qty_0": "3"])
            #expect(unknown.cells.contains("no product on sale has the SKU or name NOPE") && unknown.cells.contains(#"value="NOPE""#))
            #expect(unknown.cells.contains(#"name="qty_0" type="number" min="0" value="3""#))  // the basket is kept

            // By name: the matches are offered; choosing one adds it; a changed quantity is kept, 0 takes the line out.
            let named = try await cashier.post("/t/pharm/sales", ["branch": "main", "scan": "product para", "line_0": "PARA500", "qty_0": "3"])
            #expect(named.cells.contains(#"<button type="submit" name="pick" value="PARA500">Product PARA500 tablet</button>"#), "\(named.cells)")
            let picked = try await cashier.post(
                "/t/pharm/sales",
                ["branch": "main", "pick": "AMOX250", "quantity": "1", "line_0": "PARA500", "qty_0": "5"]
            )
            #expect(
                picked.cells.contains(#"name="line_1" value="AMOX250""#) && picked.cells.contains(#"name="qty_0" type="number" min="0" value="5""#)
            )
            let emptied = try await cashier.post(
                "/t/pharm/sales",
                ["branch": "main", "scan": "", "line_0": "PARA500", "qty_0": "0", "line_1": "AMOX250", "qty_1": "1"]
            )
            #expect(!emptied.cells.contains(#"value="PARA500""#) && emptied.cells.contains(#"value="AMOX250""#))

            // Prescription-only: refused without a reference, and nothing is sold.
            let lines = ["branch": "main", "line_0": "PARA500", "qty_0": "3", "line_1": "AMOX250", "qty_1": "1"]
            var pay = lines
            pay["do"] = "complete"
            pay["cash"] = "20"
            let refused = try await cashier.post("/t/pharm/sales", pay)
            #expect(refused.status == .conflict && refused.cells.contains("is prescription-only: give the paper prescription&#39;s reference"))
            #expect(refused.cells.contains(#"name="line_1" value="AMOX250""#) && refused.cells.contains(#"value="20""#))

            var removed = lines
            removed["do"] = "remove_1"
            let without = try await cashier.post("/t/pharm/sales", removed)
            #expect(!without.cells.contains("AMOX250") && without.cells.contains(#"<strong id="total">EUR 7.50</strong>"#))

            let card = try await cashier.post(
                "/t/pharm/sales",
                ["branch": "main", "line_0": "PARA500", "qty_0": "3", "do": "complete", "card": "8.00"]
            )
            #expect(
                card.status == .unprocessableContent
                    && card.cells.contains("charge EUR 8.00 by card or mobile money, more than the total of EUR 7.50; only cash can give change")
            )
            let short = try await cashier.post(
                "/t/pharm/sales",
                ["branch": "main", "line_0": "PARA500", "qty_0": "3", "do": "complete", "cash": "4"]
            )
            #expect(short.cells.contains("add up to EUR 4.00, less than the total of EUR 7.50"), "amounts in the currency, never in cents")

            // Enter in the cash box with too little: nothing is sold, the till says what is still to pay.
            let partly = try await cashier.post(
                "/t/pharm/sales",
                ["branch": "main", "line_0": "PARA500", "qty_0": "3", "do": "add", "scan": "", "quantity": "1", "cash": "5"]
            )
            #expect(
                partly.status == .ok && partly.cells.contains(#"Still to pay: <strong>EUR 2.50</strong>"#)
                    && partly.cells.contains(#"name="cash" type="text" value="5""#)
            )
            #expect(try await boss.get("sales").items.isEmpty)
            // Enter in the cash box sends the first button, Add, with nothing scanned: with enough, that completes the sale.
            let sold = try await cashier.post(
                "/t/pharm/sales",
                ["branch": "main", "line_0": "PARA500", "qty_0": "3", "do": "add", "scan": "", "quantity": "1", "cash": "10"]
            )
            let receiptPath = try #require(sold.headers[.location])
            let receipt = try await cashier.get(receiptPath)
            #expect(receipt.cells.contains("Sale completed.") && receipt.cells.contains("3 × Product PARA500"))
            #expect(receipt.cells.contains("Change") && receipt.cells.contains("EUR 2.50"))
            #expect(try await cashier.get("/t/pharm/").cells.contains("Today&#39;s sales: 1, EUR 7.50"))
            #expect(!receipt.cells.contains(">Refund</button>"))  // cashiers do not refund

            // The manager takes one pack back: it returns to stock and the day's list shows the net total.
            var manager = WebBrowser(session.client)
            try await manager.signIn(tenant: "pharm", email: "manager@example.com", password: TestUsers.password)
            let sale = String(receiptPath.prefix { $0 != "?" })
            let refundPage = try await manager.get(sale)
            #expect(refundPage.cells.contains(">Refund</button>") && refundPage.cells.contains("<td>Product PARA500</td><td>3</td>"))
            let noReason = try await manager.post(sale + "/refund", ["item_0": "1", "quantity_0": "1", "reason": ""])
            #expect(noReason.status == .unprocessableContent && noReason.cells.contains(#"id="reason-error""#))
            let tooMany = try await manager.post(sale + "/refund", ["item_0": "1", "quantity_0": "4", "reason": "damaged box"])
            #expect(
                tooMany.status == .unprocessableContent && tooMany.cells.contains("must be at most 3")
                    && tooMany.cells.contains(#"value="damaged box""#)
            )
            // The first press asks, naming the amount and where it goes back; nothing is refunded yet.
            let question = try await manager.post(sale + "/refund", ["item_0": "1", "quantity_0": "1", "reason": "damaged box"])
            #expect(question.status == .ok && question.cells.contains("Refund EUR 2.50 to the customer?"))
            #expect(
                question.cells.contains("The sale was paid by cash: give EUR 2.50 back by cash.")
                    && question.cells.contains(">Refund EUR 2.50</button>")
            )
            #expect(try await manager.get(sale).cells.contains("<td>Product PARA500</td><td>3</td>"), "asking changed nothing")
            #expect(
                try await manager.post(sale + "/refund", ["item_0": "1", "quantity_0": "1", "reason": "damaged box", "confirmed": "1"]).headers[
                    .location
                ] == sale + "?refunded=quarantined"
            )
            let history = try await manager.get("/t/pharm/sales/history")
            #expect(history.cells.contains("<td>EUR 5.00</td><td>partially refunded</td>"))
            // The number printed on the receipt opens it; a number that is not there says so.
            #expect(try await manager.get("/t/pharm/sales/history?number=s-000001").headers[.location] == sale)
            let noSuchSale = try await manager.get("/t/pharm/sales/history?number=S-000999")
            #expect(noSuchSale.status == .notFound && noSuchSale.cells.contains("No sale in your branches has the number S-000999"))
        }
        // Exactly what was sold left the shelf, and the refused attempts took nothing.
        let database = try await server.databases.database(for: TenantID("pharm")!, creating: true)
        let left = try await database.read { db in
            try Int.fetchAll(
                db,
                sql: "SELECT sum(b.quantity) FROM stock_batches b JOIN products p ON p.id = b.product_id GROUP BY p.sku ORDER BY p.sku"
            )
        }
        #expect(left == [5, 7])  // AMOX250 untouched, PARA500 10 − 3 sold; the refunded one is quarantined, not back on the shelf
    }
}
