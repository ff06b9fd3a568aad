import ClinicBox
import ClinicBoxCore
import Foundation
import GRDB
import HummingbirdTesting
import Testing

/// A pharmacy tenant with two branches, 20 % tax included in prices, and one user per role:
/// boss (admin), manager (both branches), pharmacist (clinician), and a cashier limited to `main`.
enum PharmacyFixture {
    static func yaml(features: [String]) -> String {
        TestTenant.yaml(
            "pharm",
            domain: "pharmacy",
            features: features,
            extra: """
                tax:
                  rate: 20
                  prices_include_tax: true
                branches:
                  - code: main
                    name: Main Street
                  - code: north
                    name: North Road
                """
        )
    }

    static func server(_ workspace: TestWorkspace, features: [String] = ["patients", "inventory", "sales"]) async throws -> ClinicBoxServer {
        try workspace.write("pharm", yaml(features: features))
        let server = try await workspace.server()
        let accounts = try await server.accounts("pharm")
        for (email, role, branches) in [
            ("boss@example.com", Role.admin, [String]()), ("manager@example.com", .manager, []), ("pharmacist@example.com", .clinician, []),
            ("cashier@example.com", .staff, ["main"]),
        ] {
            _ = try await accounts.create(
                .init(email: email, displayName: email, role: role, branches: branches, password: TestUsers.password),
                by: .commandLine
            )
        }
        return server
    }

    /// Creates a product and receives one batch of it; returns (product id, batch id).
    @discardableResult
    static func stock(
        _ api: APIClient,
        sku: String,
        quantity: Int,
        price: Int = 500,
        branch: String = "main",
        batch: String = "B1",
        expiry: String = "2030-01-31",
        product: [String: Any] = [:]
    ) async throws -> (product: Int, batch: Int) {
        var productID: Int
        let existing = try await api.get("inventory/products?q=\(sku)").items.first
        if let existing {
            productID = existing["id"] as? Int ?? 0
        } else {
            let body = ["sku": sku, "name": "Product \(sku)", "form": "tablet"].merging(product) { $1 }
            productID = try #require(try await api.create("inventory/products", body)["id"] as? Int)
        }
        let received = try await api.create(
            "inventory/batches",
            [
                "product_id": productID, "branch": branch, "batch_number": batch, "expiry": expiry, "quantity": quantity, "cost_price": price / 2,
                "selling_price": price,
            ]
        )
        return (productID, try #require(received["id"] as? Int))
    }

    /// Total quantity of a product in a branch, straight from the database.
    static func quantity(_ server: ClinicBoxServer, product: Int, branch: String = "main", tenant: String = "pharm") async throws -> Int {
        let database = try await server.databases.database(for: TenantID(tenant)!, creating: true)
        return try await database.read { db in
            try Int.fetchOne(
                db,
                sql: "SELECT coalesce(sum(quantity), 0) FROM stock_batches WHERE product_id = ? AND branch = ?",
                arguments: [product, branch]
            ) ?? 0
        }
    }

    /// A sale body: one item of `product`, at branch main.
    static func sale(_ product: Int, _ quantity: Int, payments: [[String: Any]], extra: [String: Any] = [:]) -> [String: Any] {
        ["branch": "main", "items": [["product_id": product, "quantity": quantity]], "payments": payments].merging(extra) { $1 }
    }
}
