import ClinicBox
import ClinicBoxCore
import Foundation
import GRDB
import HummingbirdTesting
import Testing

/// The till taxes each product at its own class: medicine exempt, a cosmetic at the standard rate. The receipt
/// shows the tax per rate, the API each line's class, rate and tax.
@Suite struct TillTaxClassTests {
    static let yaml = TestTenant.yaml(
        "pharm",
        domain: "pharmacy",
        features: ["patients", "inventory", "sales"],
        extra: """
            tax:
              classes: {standard: 16, exempt: 0}
              default_class: exempt
              prices_include_tax: false
            branches:
              - code: main
                name: Main Street
            """
    )

    @Test func eachProductIsTaxedAtItsClassAndTheReceiptSaysSoPerRate() async throws {
        let workspace = try TestWorkspace()
        try workspace.write("pharm", Self.yaml)
        let server = try await workspace.server()
        _ = try await server.accounts("pharm").create(
            .init(email: "boss@example.com", displayName: "Boss", role: .admin, password: TestUsers.password),
            by: .commandLine
        )
        try await server.application.test(.router) { client in
            let boss = try await APIClient.signIn(client, tenant: "pharm", email: "boss@example.com")
            let wrong = try await boss.post("inventory/products", ["sku": "SUN50", "name": "Sunscreen", "tax_class": "luxury"])
            #expect(wrong.fieldErrors["tax_class"] == "must be one of this clinic's tax classes: exempt, standard")
            let (sunscreen, _) = try await PharmacyFixture.stock(boss, sku: "SUN50", quantity: 5, price: 1_000, product: ["tax_class": "standard"])
            let (paracetamol, _) = try await PharmacyFixture.stock(boss, sku: "PARA", quantity: 5, price: 350)
            #expect(try await boss.get("inventory/products/\(sunscreen)").json["tax_class"] as? String == "standard")

            // 10.00 at 16 % added and 3.50 exempt: 13.50 + 1.60 tax = 15.10.
            let sale = try await boss.create(
                "sales",
                [
                    "branch": "main", "items": [["product_id": sunscreen, "quantity": 1], ["product_id": paracetamol, "quantity": 1]],
                    "payments": [["method": "cash", "amount": 2_000]],
                ]
            )
            #expect(sale["tax"] as? Int == 160 && sale["total"] as? Int == 1_510 && sale["change_due"] as? Int == 490)
            let items = try #require(sale["items"] as? [[String: Any]])
            #expect(items.map { $0["tax_class"] as? String } == ["standard", "exempt"] && items.map { $0["tax"] as? Int } == [160, 0])
            let receipt = try await boss.get("sales/\(sale["id"]!)/receipt").text
            #expect(receipt.contains("Tax 0%") && receipt.contains("Tax 16%                         EUR 1.60"), "\(receipt)")
        }
    }
}
