import ClinicBox
import ClinicBoxCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Reports over real sales and stock, as JSON and CSV, gated by the modules the tenant has.
@Suite struct ReportsAPITests {
    @Test func salesAndStockReportsAddUp() async throws {
        let workspace = try TestWorkspace()
        let server = try await PharmacyFixture.server(workspace, features: ["patients", "inventory", "sales", "reports"])
        try await server.application.test(.router) { client in
            let manager = try await APIClient.signIn(client, tenant: "pharm", email: "manager@example.com")
            let cashier = try await APIClient.signIn(client, tenant: "pharm", email: "cashier@example.com")
            let (product, _) = try await PharmacyFixture.stock(manager, sku: "ORS", quantity: 10, price: 150)
            try await PharmacyFixture.stock(manager, sku: "GAUZE", quantity: 5, price: 80, branch: "north")
            for quantity in [1, 3] {
                _ = try await cashier.create("sales", PharmacyFixture.sale(product, quantity, payments: [["method": "cash", "amount": 1000]]))
            }
            #expect(try await cashier.get("reports/sales-per-day").status == .forbidden)

            let index = try await manager.get("reports")
            #expect(
                (index.json["reports"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [
                    "stock-value", "expiring-stock", "sales-per-day", "sales-by-product",
                ]
            )  // in the modules' order, as the navigation
            let daily = try await manager.get("reports/sales-per-day")
            let row = try #require(daily.json["rows"] as? [[String: Any]]).first
            #expect(row?["sales"] as? Int == 2 && row?["total"] as? Int == 600 && row?["tax"] as? Int == 100)

            let byProduct = try await manager.get("reports/sales-by-product?format=csv")
            #expect(byProduct.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(byProduct.text == "product_id,sku,name,units,revenue,currency\r\n\(product),ORS,Product ORS,4,6.00,EUR\r\n")

            let value = try await manager.get("reports/stock-value")
            let branches = (value.json["rows"] as? [[String: Any]])?.map { "\($0["branch"] ?? "") \($0["units"] ?? "") \($0["retail_value"] ?? "")" }
            #expect(branches == ["main 6 900", "north 5 400"])
            #expect(try await manager.get("reports/stock-value?branch=north").json["branches"] as? [String] == ["north"])

            #expect(
                try await manager.get("reports/appointments-per-day").json["detail"] as? String
                    == "feature 'appointments' is not enabled for tenant 'pharm'"
            )
            #expect(try await manager.get("reports/sales-per-day?from=2026-02-30").fieldErrors["from"] == "must be a date written YYYY-MM-DD")
        }
    }
}
