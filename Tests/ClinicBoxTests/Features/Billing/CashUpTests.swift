import ClinicBox
import ClinicBoxCore
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The end of a cashier's shift: the till's sales and billing's payments both counted against what is in the
/// drawer, a difference recorded with its reason, and a closed session never changing.
@Suite struct CashUpTests {
    @Test func aCashierClosesTheTillWithADifferenceAndAReason() async throws {
        let workspace = try TestWorkspace()
        let server = try await PharmacyFixture.server(workspace, features: ["patients", "inventory", "sales", "billing"])
        let database = try await server.databases.database(for: TenantID("pharm")!, creating: true)
        try await server.application.test(.router) { client in
            let cashier = try await APIClient.signIn(client, tenant: "pharm", email: "cashier@example.com")
            let manager = try await APIClient.signIn(client, tenant: "pharm", email: "manager@example.com")
            let pharmacist = try await APIClient.signIn(client, tenant: "pharm", email: "pharmacist@example.com")
            let (product, _) = try await PharmacyFixture.stock(manager, sku: "PLAST", quantity: 10, price: 300)
            let patient = try #require(try await cashier.create("patients", TestRecords.ada)["id"] as? Int)

            #expect(try await pharmacist.get("till-sessions").status == .forbidden)
            let opened = try await cashier.create("till-sessions", ["opening_float": 5_000, "branch": ""])  // empty: the cashier's only branch
            let id = try #require(opened["id"] as? Int)
            #expect(try await cashier.post("till-sessions", ["opening_float": 0]).status == .conflict)

            // A till sale paid 1,000 in cash for 600 (400 change), one by card, and billing payments in cash and mobile money.
            _ = try await cashier.create("sales", PharmacyFixture.sale(product, 2, payments: [["method": "cash", "amount": 1_000]]))
            _ = try await cashier.create("sales", PharmacyFixture.sale(product, 1, payments: [["method": "card", "amount": 300]]))
            _ = try await cashier.create("payments", ["patient_id": patient, "method": "cash", "amount": 2_500])
            _ = try await cashier.create("payments", ["patient_id": patient, "method": "mobile_money", "amount": 700, "reference": "SKL81ZQ4TD"])
            // Money taken by someone else is in their till, not this one.
            _ = try await manager.create("payments", ["patient_id": patient, "branch": "main", "method": "cash", "amount": 9_999])

            let open = try await cashier.get("till-sessions/\(id)").json
            let expected = Dictionary(
                uniqueKeysWithValues: (open["methods"] as? [[String: Any]] ?? []).map { ($0["method"] as! String, $0["expected"] as! Int) }
            )
            #expect(expected == ["cash": 8_100, "card": 300, "mobile_money": 700, "bank_transfer": 0, "insurer": 0])

            // 1 short in cash: a reason is needed, then it closes for good.
            let counted: [String: Any] = ["cash": 8_000, "card": 300, "mobile_money": 700]
            let noReason = try await cashier.post("till-sessions/\(id)/close", ["counted": counted])
            #expect(
                noReason.status == .unprocessableContent
                    && noReason.fieldErrors["reason"] == "is required: cash counted EUR 80.00, expected EUR 81.00"
            )
            let closed = try await cashier.post("till-sessions/\(id)/close", ["counted": counted, "reason": "EUR 1 given as extra change"])
            #expect(
                closed.status == .ok && closed.json["status"] as? String == "closed"
                    && closed.json["difference_reason"] as? String == "EUR 1 given as extra change"
            )
            let cash = (closed.json["methods"] as? [[String: Any]])?.first { $0["method"] as? String == "cash" }
            #expect(cash?["expected"] as? Int == 8_100 && cash?["counted"] as? Int == 8_000 && cash?["difference"] as? Int == -100)
            #expect(try await cashier.post("till-sessions/\(id)/close", ["counted": counted, "reason": "again"]).status == .conflict)
            for sql in ["UPDATE till_sessions SET opening_float = 0", "UPDATE till_session_counts SET counted = 8100", "DELETE FROM till_sessions"] {
                await #expect(throws: DatabaseError.self, "\(sql)") { try await database.write { db in try db.execute(sql: sql) } }
            }

            // The manager sees every till of the day; the cashier only their own.
            let day = try await manager.get("till-sessions").json["items"] as? [[String: Any]]
            #expect(day?.map { $0["cashier_name"] as? String } == ["cashier@example.com"])
            #expect(try await cashier.get("till-sessions").json["items"] as? [[String: Any]] != nil)

            var browser = WebBrowser(client)
            try await browser.signIn(tenant: "pharm", email: "manager@example.com", password: TestUsers.password)
            let page = try await browser.get("/t/pharm/billing/cash-up/\(id)").cells
            #expect(
                page.contains("<td>Cash</td><td>EUR 81.00</td><td>EUR 80.00</td><td>EUR -1.00</td>") && page.contains("EUR 1 given as extra change")
            )
            let today = try await browser.get("/t/pharm/billing/cash-up").cells
            #expect(today.contains("Open your till") && today.contains("Today's tills"))
        }
    }
}
