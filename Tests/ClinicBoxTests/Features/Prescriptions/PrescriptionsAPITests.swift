import ClinicBox
import ClinicBoxCore
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Writing prescriptions, and dispensing them from stock in a pharmacy.
@Suite struct PrescriptionsAPITests {
    static let yaml = TestTenant.yaml(
        "rx",
        domain: "pharmacy",
        features: ["patients", "prescriptions", "inventory"],
        extra: """
            branches:
              - code: main
                name: Main
            """
    )

    static func server(_ workspace: TestWorkspace) async throws -> ClinicBoxServer {
        try workspace.write("rx", yaml)
        let server = try await workspace.server()
        try await server.addUser("pharmacist@example.com", role: .clinician, password: TestUsers.password, to: ["rx"])
        try await server.addUser("desk@example.com", role: .staff, password: TestUsers.password, to: ["rx"])
        return server
    }

    @Test func dispensingTakesStockFirstExpiryFirstAndRecordsWhoFromWhichBatch() async throws {
        let scenario = try await ClinicScenario(tenant: "rx") { try await Self.server($0) }
        let server = scenario.server
        try await scenario.run { session in
            let pharmacist = try await session.signIn("pharmacist@example.com")
            // Receiving stock needs inventory.write, which managers and admins have.
            try await server.addUser("admin@example.com", role: .admin, password: TestUsers.password, to: ["rx"])
            let admin = try await session.signIn("admin@example.com")
            let (product, _) = try await PharmacyFixture.stock(admin, sku: "AMOX", quantity: 10, batch: "LATE", expiry: "2031-01-31")
            try await PharmacyFixture.stock(admin, sku: "AMOX", quantity: 4, batch: "EARLY", expiry: "2030-01-31")

            let patient = try await pharmacist.create("patients", ["first_name": "Ada", "last_name": "Lovelace"])["id"]!
            let rx = try await pharmacist.create(
                "prescriptions",
                [
                    "patient_id": patient,
                    "items": [
                        [
                            "medicine": "Amoxicillin", "strength": "500 mg", "dose": "1 capsule 3 times a day", "quantity": 6, "repeats": 1,
                            "product_id": product,
                        ]
                    ],
                ]
            )
            #expect(rx["number"] as? String == "RX-000001" && rx["status"] as? String == "pending")
            let rxID = rx["id"] as? Int ?? 0
            let itemID = (rx["items"] as? [[String: Any]])?.first?["id"] as? Int ?? 0

            let first = try await pharmacist.create(
                "prescriptions/\(rxID)/dispense",
                ["branch": "main", "items": [["item_id": itemID, "quantity": 6]]]
            )
            #expect(first["status"] as? String == "partially_dispensed")
            let dispensings = (first["items"] as? [[String: Any]])?.first?["dispensings"] as? [[String: Any]] ?? []
            #expect(dispensings.map { $0["batch_number"] as? String } == ["EARLY", "LATE"])
            #expect(dispensings.map { $0["quantity"] as? Int } == [4, 2])
            #expect(dispensings.first?["dispensed_by"] as? String == "pharmacist@example.com")
            #expect(try await PharmacyFixture.quantity(server, product: product, tenant: "rx") == 8)

            let tooMuch = try await pharmacist.post(
                "prescriptions/\(rxID)/dispense",
                ["branch": "main", "items": [["item_id": itemID, "quantity": 7]]]
            )
            #expect(tooMuch.fieldErrors["items[0].quantity"] == "must be at most 6, what is left to dispense (repeats included)")
            // The repeat is due once the first supply has run out; the same day it needs a reason.
            let early = try await pharmacist.post(
                "prescriptions/\(rxID)/dispense",
                ["branch": "main", "items": [["item_id": itemID, "quantity": 6]]]
            )
            #expect(
                early.status == .conflict && early.fieldErrors == ["early_repeat_reason": "is required to hand out a repeat before it is due"],
                "\(early.text)"
            )
            let repeatSupply = try await pharmacist.create(
                "prescriptions/\(rxID)/dispense",
                ["branch": "main", "items": [["item_id": itemID, "quantity": 6]], "early_repeat_reason": "travelling for three weeks"]
            )
            #expect(repeatSupply["status"] as? String == "dispensed")
            let again = try await pharmacist.post(
                "prescriptions/\(rxID)/dispense",
                ["branch": "main", "items": [["item_id": itemID, "quantity": 1]]]
            )
            #expect(again.status == .conflict)
        }
    }

    @Test func onlyClinicalRolesSeePrescriptionsAndOnlyPendingOnesCanBeCancelled() async throws {
        let scenario = try await ClinicScenario(tenant: "rx") { try await Self.server($0) }
        try await scenario.run { session in
            let pharmacist = try await session.signIn("pharmacist@example.com")
            let desk = try await session.signIn("desk@example.com")
            let patient = try await desk.create("patients", ["first_name": "Ada", "last_name": "Lovelace"])["id"]!
            #expect(try await desk.get("prescriptions").status == .forbidden)
            let future = try await pharmacist.post(
                "prescriptions",
                ["patient_id": patient, "prescribed_on": "2999-01-01", "items": [["medicine": "X", "dose": "1", "quantity": 0]]]
            )
            #expect(future.fieldErrors == ["prescribed_on": "must not be in the future", "items[0].quantity": "must be between 1 and 10000"])
            let rx = try await pharmacist.create(
                "prescriptions",
                ["patient_id": patient, "items": [["medicine": "Ibuprofen", "dose": "as needed", "quantity": 20]]]
            )
            let id = rx["id"] as? Int ?? 0
            let cancelled = try await pharmacist.patch("prescriptions/\(id)", ["version": 1, "status": "cancelled"])
            #expect(cancelled.json["status"] as? String == "cancelled")
            #expect(
                try await pharmacist.patch("prescriptions/\(id)", ["version": 2, "status": "cancelled"]).fieldErrors["status"]
                    == "only a pending prescription can be cancelled; this one is cancelled"
            )
        }
    }
}
