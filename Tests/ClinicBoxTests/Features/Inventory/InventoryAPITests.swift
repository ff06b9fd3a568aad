import ClinicBox
import ClinicBoxCore
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Products, batches, adjustments, transfers and the controlled register, through the real HTTP stack.
@Suite struct InventoryAPITests {
    /// Every role against every inventory action, through the real routes.
    @Test(arguments: [(Role.admin, true, true), (.manager, true, true), (.clinician, true, false), (.staff, true, false)])
    func eachRoleMayDoWhatThePermissionTableSays(role: Role, mayRead: Bool, mayWrite: Bool) async throws {
        let workspace = try TestWorkspace()
        let server = try await PharmacyFixture.server(workspace)
        let email = ["admin": "boss", "manager": "manager", "clinician": "pharmacist", "staff": "cashier"][role.rawValue]! + "@example.com"
        try await server.application.test(.router) { client in
            let user = try await APIClient.signIn(client, tenant: "pharm", email: email)
            #expect(try await user.get("inventory/products").status == (mayRead ? .ok : .forbidden))
            let write = try await user.post("inventory/products", ["sku": "X1", "name": "Paracetamol"])
            #expect(write.status == (mayWrite ? .created : .forbidden))
            if !mayWrite {
                #expect(
                    write.json["detail"] as? String
                        == "Only managers and admins can manage stock here. (The action is inventory.write; your role is \(role.rawValue).)"
                )
            }
        }
        let database = try await server.databases.database(for: TenantID("pharm")!, creating: true)
        let denials = try await database.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_log WHERE action = 'auth.denied' AND entity_id = 'inventory.write'")
        }
        #expect(denials == (mayWrite ? 0 : 1))
    }

    @Test func receivingAdjustingAndTransferringKeepStockHonest() async throws {
        let scenario = try await ClinicScenario(tenant: "pharm") { try await PharmacyFixture.server($0) }
        let server = scenario.server
        try await scenario.run { session in
            let manager = try await session.signIn("manager@example.com")
            let (product, batch) = try await PharmacyFixture.stock(manager, sku: "AMOX500", quantity: 20)
            #expect(try await manager.post("inventory/products", ["sku": "amox500", "name": "Other"]).status == .conflict)
            let expired = try await manager.post(
                "inventory/batches",
                [
                    "product_id": product, "branch": "main", "batch_number": "OLD", "expiry": "2020-01-01", "quantity": 5, "cost_price": 1,
                    "selling_price": 2,
                ]
            )
            #expect(expired.fieldErrors["expiry"] == "must be after today: expired stock cannot be received")
            let wrongBranch = try await manager.post(
                "inventory/batches",
                [
                    "product_id": product, "branch": "south", "batch_number": "B9", "expiry": "2030-01-01", "quantity": 5, "cost_price": 1,
                    "selling_price": 2,
                ]
            )
            #expect(wrongBranch.fieldErrors["branch"] == "must be one of this tenant's branches: main, north")

            let tooMuch = try await manager.post("inventory/adjustments", ["batch_id": batch, "change": -21, "reason": "breakage"])
            #expect(tooMuch.status == .conflict)
            #expect(try await PharmacyFixture.quantity(server, product: product) == 20)
            #expect(try await manager.post("inventory/adjustments", ["batch_id": batch, "change": -2]).fieldErrors["reason"] == "is required")
            _ = try await manager.create("inventory/adjustments", ["batch_id": batch, "change": -2, "reason": "dropped bottle"])

            let moved = try await manager.create("inventory/transfers", ["batch_id": batch, "to_branch": "north", "quantity": 8])
            #expect(moved["branch"] as? String == "north" && moved["quantity"] as? Int == 8 && moved["batch_number"] as? String == "B1")
            #expect(try await PharmacyFixture.quantity(server, product: product, branch: "main") == 10)
            #expect(try await PharmacyFixture.quantity(server, product: product, branch: "north") == 8)
        }
        let database = try await server.databases.database(for: TenantID("pharm")!, creating: true)
        let actions = try await database.read { db in
            try String.fetchAll(db, sql: "SELECT action FROM audit_log WHERE action LIKE 'inventory.%' ORDER BY id")
        }
        #expect(actions == ["inventory.product_create", "inventory.receive", "inventory.adjust", "inventory.transfer"])
    }

    @Test func aBranchLimitedUserSeesOnlyTheirBranch() async throws {
        let scenario = try await ClinicScenario(tenant: "pharm") { try await PharmacyFixture.server($0) }
        try await scenario.run { session in
            let manager = try await session.signIn("manager@example.com")
            let cashier = try await session.signIn("cashier@example.com")
            try await PharmacyFixture.stock(manager, sku: "A", quantity: 5, branch: "main")
            let (_, northBatch) = try await PharmacyFixture.stock(manager, sku: "A", quantity: 7, branch: "north", batch: "N1")
            #expect(try await cashier.get("inventory/batches").items.map { $0["branch"] as? String } == ["main"])
            #expect(try await manager.get("inventory/batches").items.count == 2)
            #expect(try await cashier.get("inventory/batches/\(northBatch)").status == .notFound)
            #expect(try await cashier.get("inventory/batches?branch=north").status == .forbidden)
        }
    }

    @Test func controlledProductsWriteAnAppendOnlyRegister() async throws {
        let scenario = try await ClinicScenario(tenant: "pharm") { try await PharmacyFixture.server($0) }
        let server = scenario.server
        try await scenario.run { session in
            let manager = try await session.signIn("manager@example.com")
            let (_, batch) = try await PharmacyFixture.stock(manager, sku: "MORPH10", quantity: 10, product: ["controlled": true])
            _ = try await manager.create("inventory/adjustments", ["batch_id": batch, "change": -1, "reason": "ampoule broken"])
            let register = try await manager.get("inventory/controlled-register")
            #expect(register.items.map { $0["balance_after"] as? Int } == [9, 10])
            #expect(register.items.first?["reason"] as? String == "ampoule broken")
            #expect(register.items.first?["user_email"] as? String == "manager@example.com")
        }
        let database = try await server.databases.database(for: TenantID("pharm")!, creating: true)
        await #expect(throws: DatabaseError.self) {
            try await database.write { db in try db.execute(sql: "UPDATE controlled_register SET change = 0") }
        }
        await #expect(throws: DatabaseError.self) { try await database.write { db in try db.execute(sql: "DELETE FROM controlled_register") } }
    }

    @Test func lowAndExpiringStockLists() async throws {
        let scenario = try await ClinicScenario(tenant: "pharm") { try await PharmacyFixture.server($0) }
        try await scenario.run { session in
            let manager = try await session.signIn("manager@example.com")
            let soon = CalendarDateForTests.daysFromToday(10)
            try await PharmacyFixture.stock(manager, sku: "LOW", quantity: 3, product: ["reorder_level": 5])
            try await PharmacyFixture.stock(manager, sku: "FINE", quantity: 50, product: ["reorder_level": 5])
            try await PharmacyFixture.stock(manager, sku: "SOON", quantity: 4, expiry: soon)
            let low = try await manager.get("inventory/low-stock?branch=main")
            #expect(low.items.map { $0["sku"] as? String } == ["LOW"])
            let expiring = try await manager.get("inventory/expiring?days=30")
            #expect(expiring.items.map { $0["sku"] as? String } == ["SOON"])
            #expect(expiring.items.first?["expired"] as? Bool == false)
            #expect(try await manager.get("inventory/expiring?days=5").items.isEmpty)
        }
    }
}

enum CalendarDateForTests {
    /// `YYYY-MM-DD`, `days` from today in UTC.
    static func daysFromToday(_ days: Int) -> String {
        let date = Date(timeIntervalSinceNow: Double(days) * 86_400)
        return String(date.formatted(.iso8601).prefix(10))
    }
}
