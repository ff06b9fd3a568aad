import ClinicBox
import ClinicBoxCore
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The till's prescription rules through the real HTTP stack: a sale linked to a prescription sells that
/// prescription's items only, for its patient, up to what is left, and dispenses them; prescription-only and
/// controlled products need cover.
@Suite struct SalePrescriptionTests {
    static let features = ["patients", "inventory", "sales", "prescriptions"]

    /// A pharmacy with Paracetamol (over the counter), Amoxicillin (prescription only) and Morphine (controlled) in
    /// stock, a patient with a prescription for 1 Paracetamol, and a second patient.
    struct Pharmacy {
        var manager: APIClient
        var cashier: APIClient
        var paracetamol: Int
        var amoxicillin: Int
        var morphine: Int
        var patient: Int
        var otherPatient: Int
        var prescription: Int
    }

    static func pharmacy(_ server: ClinicBoxServer, _ client: any TestClientProtocol) async throws -> Pharmacy {
        let manager = try await APIClient.signIn(client, tenant: "pharm", email: "manager@example.com")
        let cashier = try await APIClient.signIn(client, tenant: "pharm", email: "cashier@example.com")
        let (paracetamol, _) = try await PharmacyFixture.stock(manager, sku: "PARA", quantity: 50, price: 100, product: ["name": "Paracetamol"])
        let (amoxicillin, _) = try await PharmacyFixture.stock(
            manager,
            sku: "AMOX",
            quantity: 50,
            price: 400,
            product: ["name": "Amoxil 500 mg", "generic_name": "Amoxicillin", "requires_prescription": true]
        )
        let (morphine, _) = try await PharmacyFixture.stock(
            manager,
            sku: "MORPH",
            quantity: 50,
            price: 900,
            product: ["name": "Morphine 10 mg", "requires_prescription": true, "controlled": true]
        )
        let patient = try #require(try await manager.create("patients", ["first_name": "Ada", "last_name": "Lovelace"])["id"] as? Int)
        let otherPatient = try #require(try await manager.create("patients", ["first_name": "Grace", "last_name": "Hopper"])["id"] as? Int)
        let rx = try await manager.create(
            "prescriptions",
            ["patient_id": patient, "items": [["medicine": "Paracetamol", "dose": "1 tablet", "quantity": 1]]]
        )
        return Pharmacy(
            manager: manager,
            cashier: cashier,
            paracetamol: paracetamol,
            amoxicillin: amoxicillin,
            morphine: morphine,
            patient: patient,
            otherPatient: otherPatient,
            prescription: try #require(rx["id"] as? Int)
        )
    }

    static func sale(_ items: [(Int, Int)], cash: Int, _ extra: [String: Any] = [:]) -> [String: Any] {
        ["branch": "main", "items": items.map { ["product_id": $0.0, "quantity": $0.1] }, "payments": [["method": "cash", "amount": cash]]].merging(
            extra
        ) { $1 }
    }

    static func prescription(_ api: APIClient, _ id: Int) async throws -> [String: Any] {
        try await api.get("prescriptions/\(id)").json
    }

    @Test func aPrescriptionForParacetamolDoesNotSellMorphine() async throws {
        let workspace = try TestWorkspace()
        let server = try await PharmacyFixture.server(workspace, features: Self.features)
        try await server.application.test(.router) { client in
            let shop = try await Self.pharmacy(server, client)
            let morphine = try await shop.cashier.post(
                "sales",
                Self.sale([(shop.morphine, 20)], cash: 18_000, ["prescription_id": shop.prescription])
            )
            #expect(morphine.status == .conflict && morphine.json["title"] as? String == "Not on the prescription")
            #expect((morphine.json["detail"] as? String)?.hasPrefix("Morphine 10 mg is not on prescription RX-000001") == true)
            #expect(morphine.fieldErrors["items[0]"] == "is not on prescription RX-000001")
            // A linked sale holds the prescription's items only, even an over-the-counter extra.
            let mixed = try await shop.cashier.post(
                "sales",
                Self.sale([(shop.paracetamol, 1), (shop.amoxicillin, 1)], cash: 500, ["prescription_id": shop.prescription])
            )
            #expect(mixed.status == .conflict && mixed.fieldErrors["items[1]"] == "is not on prescription RX-000001")
            let tooMany = try await shop.cashier.post(
                "sales",
                Self.sale([(shop.paracetamol, 20)], cash: 2000, ["prescription_id": shop.prescription])
            )
            #expect(tooMany.status == .conflict && tooMany.json["title"] as? String == "More than prescribed")
            #expect(tooMany.fieldErrors["items[0].quantity"] == "must be at most 1, what RX-000001 has left to dispense")
            let otherPatient = try await shop.cashier.post(
                "sales",
                Self.sale([(shop.paracetamol, 1)], cash: 100, ["prescription_id": shop.prescription, "patient_id": shop.otherPatient])
            )
            #expect(
                otherPatient.status == .unprocessableContent
                    && otherPatient.fieldErrors["patient_id"]?.hasPrefix("must be the prescription's patient") == true
            )
            // Nothing of that was taken or dispensed.
            #expect(try await PharmacyFixture.quantity(server, product: shop.morphine) == 50)
            #expect(try await PharmacyFixture.quantity(server, product: shop.paracetamol) == 50)
            #expect(try await Self.prescription(shop.manager, shop.prescription)["status"] as? String == "pending")
            #expect(try await shop.manager.get("sales").items.isEmpty)
        }
    }

    @Test func aLinkedSaleDispensesThePrescriptionForItsPatientOnce() async throws {
        let workspace = try TestWorkspace()
        let server = try await PharmacyFixture.server(workspace, features: Self.features)
        try await server.application.test(.router) { client in
            let shop = try await Self.pharmacy(server, client)
            let sold = try await shop.cashier.create("sales", Self.sale([(shop.paracetamol, 1)], cash: 100, ["prescription_id": shop.prescription]))
            #expect(sold["patient_id"] as? Int == shop.patient && sold["prescription_id"] as? Int == shop.prescription)
            let rx = try await Self.prescription(shop.manager, shop.prescription)
            #expect(rx["status"] as? String == "dispensed")
            let item = try #require((rx["items"] as? [[String: Any]])?.first)
            #expect(item["dispensed_quantity"] as? Int == 1 && item["product_id"] as? Int == shop.paracetamol)
            #expect((item["dispensings"] as? [[String: Any]])?.first?["dispensed_by"] as? String == "cashier@example.com")
            #expect(try await PharmacyFixture.quantity(server, product: shop.paracetamol) == 49)
            // The second time, nothing is left.
            let twice = try await shop.cashier.post("sales", Self.sale([(shop.paracetamol, 1)], cash: 100, ["prescription_id": shop.prescription]))
            #expect(twice.status == .conflict && (twice.json["detail"] as? String)?.hasPrefix("Prescription RX-000001 is dispensed") == true)
            #expect(try await PharmacyFixture.quantity(server, product: shop.paracetamol) == 49)
        }
    }

    @Test func repeatsAndControlledDrugsGoThroughTheDispensingPathAndTheRegister() async throws {
        let workspace = try TestWorkspace()
        let server = try await PharmacyFixture.server(workspace, features: Self.features)
        try await server.application.test(.router) { client in
            let shop = try await Self.pharmacy(server, client)
            let rx = try await shop.manager.create(
                "prescriptions",
                [
                    "patient_id": shop.patient,
                    "items": [["medicine": "Morphine", "dose": "1 every 4 h", "quantity": 2, "repeats": 1, "product_id": shop.morphine]],
                ]
            )
            let id = try #require(rx["id"] as? Int)
            _ = try await shop.cashier.create("sales", Self.sale([(shop.morphine, 2)], cash: 1800, ["prescription_id": id]))
            #expect(try await Self.prescription(shop.manager, id)["status"] as? String == "partially_dispensed")
            // The repeat the same day is early: not the cashier's decision, a manager's with a reason.
            let early = try await shop.cashier.post("sales", Self.sale([(shop.morphine, 2)], cash: 1800, ["prescription_id": id]))
            #expect(
                early.status == .conflict
                    && (early.json["detail"] as? String)?.contains("An early repeat is for those who may dispense prescriptions: ask ") == true,
                "\(early.text)"
            )
            _ = try await shop.manager.create(
                "sales",
                Self.sale([(shop.morphine, 2)], cash: 1800, ["prescription_id": id, "early_repeat_reason": "hospice patient, weekend supply"])
            )
            #expect(try await Self.prescription(shop.manager, id)["status"] as? String == "dispensed")
            #expect(try await shop.cashier.post("sales", Self.sale([(shop.morphine, 1)], cash: 900, ["prescription_id": id])).status == .conflict)
            let register = try await shop.manager.get("inventory/controlled-register?product_id=\(shop.morphine)").items
            #expect(register.count == 3)  // received, then two dispensings
            #expect(register.first?["kind"] as? String == "dispense" && register.first?["balance_after"] as? Int == 46)
            #expect(register.first?["reference"] as? String == "prescription:RX-000002 sale:S-000002")
        }
    }

    @Test func prescriptionOnlyProductsNeedCoverAndControlledPaperNeedsAManagerOrClinician() async throws {
        let workspace = try TestWorkspace()
        let server = try await PharmacyFixture.server(workspace, features: Self.features)
        try await server.application.test(.router) { client in
            let shop = try await Self.pharmacy(server, client)
            let bare = try await shop.cashier.post("sales", Self.sale([(shop.amoxicillin, 1)], cash: 400))
            #expect(bare.status == .conflict && bare.json["title"] as? String == "Prescription required")
            #expect((bare.json["detail"] as? String)?.hasPrefix("Amoxil 500 mg is prescription-only") == true)
            #expect(bare.fieldErrors["prescription_id"] == "is required for Amoxil 500 mg")

            // A paper prescription covers a prescription-only product that is not controlled, and is recorded.
            let paper = try await shop.cashier.create(
                "sales",
                Self.sale([(shop.amoxicillin, 1)], cash: 400, ["prescription_reference": "Dr Who 2026-11-30"])
            )
            #expect(paper["prescription_reference"] as? String == "Dr Who 2026-11-30")

            // For a controlled drug a cashier may not use one; a manager may, and it is audited.
            let byCashier = try await shop.cashier.post("sales", Self.sale([(shop.morphine, 1)], cash: 900, ["prescription_reference": "Dr Who 7"]))
            #expect(byCashier.status == .forbidden && byCashier.json["title"] as? String == "Controlled drug")
            #expect(try await PharmacyFixture.quantity(server, product: shop.morphine) == 50)
            let byManager = try await shop.manager.create("sales", Self.sale([(shop.morphine, 1)], cash: 900, ["prescription_reference": "Dr Who 7"]))
            let admin = try await APIClient.signIn(client, tenant: "pharm", email: "boss@example.com")
            let audit = try await admin.get("audit?action=sales.controlled_paper_prescription")
            let entry = try #require((audit.json["entries"] as? [[String: Any]])?.first, "\(audit.text)")
            #expect(entry["entity_id"] as? String == String(byManager["id"] as? Int ?? 0))
            #expect(audit.text.contains("Dr Who 7") && audit.text.contains("Morphine 10 mg"))

            let both = try await shop.manager.post(
                "sales",
                Self.sale([(shop.paracetamol, 1)], cash: 100, ["prescription_id": shop.prescription, "prescription_reference": "x"])
            )
            #expect(both.status == .unprocessableContent && both.fieldErrors["prescription_reference"]?.contains("not both") == true)
            let unknown = try await shop.manager.post("sales", Self.sale([(shop.paracetamol, 1)], cash: 100, ["prescription_id": 999]))
            #expect(unknown.fieldErrors["prescription_id"] == "is not a prescription of this clinic")
        }
    }

    @Test func withoutThePrescriptionsModuleAPrescriptionIDIsRefused() async throws {
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
            let linked = try await manager.post("sales", Self.sale([(product, 1)], cash: 400, ["prescription_id": 1]))
            #expect(
                linked.status == .unprocessableContent
                    && linked.fieldErrors["prescription_id"]?.contains("prescriptions module is not enabled") == true
            )
            let bare = try await manager.post("sales", Self.sale([(product, 1)], cash: 400))
            #expect(bare.status == .conflict && bare.fieldErrors["prescription_reference"] == "is required for Product AMOX")
            #expect(try await PharmacyFixture.quantity(server, product: product) == 5)
        }
    }

    @Test func theTillPageShowsTheRulesAndRefusesWhatTheAPIRefuses() async throws {
        let workspace = try TestWorkspace()
        let server = try await PharmacyFixture.server(workspace, features: Self.features)
        try await server.application.test(.router) { client in
            let shop = try await Self.pharmacy(server, client)
            var cashier = WebBrowser(client)
            try await cashier.signIn(tenant: "pharm", email: "cashier@example.com", password: TestUsers.password)
            try await cashier.get("/t/pharm/sales")
            let basket = try await cashier.post("/t/pharm/sales", ["branch": "main", "scan": "MORPH"])
            #expect(basket.text.contains(#"<span class="badge">controlled drug</span>"#))
            #expect(basket.text.contains("for a controlled drug only a manager or a clinician may use one"))
            let linked = try await cashier.post(
                "/t/pharm/sales",
                ["branch": "main", "line_0": "MORPH", "qty_0": "20", "do": "complete", "cash": "180", "prescription_reference": "RX-000001"]
            )
            #expect(linked.status == .conflict && linked.text.contains("Morphine 10 mg is not on prescription RX-000001"))
            #expect(linked.text.contains(#"name="line_0" value="MORPH""#))  // the basket is kept
            let paper = try await cashier.post(
                "/t/pharm/sales",
                ["branch": "main", "line_0": "MORPH", "qty_0": "1", "do": "complete", "cash": "9", "prescription_reference": "Dr Who 7"]
            )
            #expect(paper.status == .forbidden && paper.text.contains("needs a manager or a clinician"))
            let dispensed = try await cashier.post(
                "/t/pharm/sales",
                ["branch": "main", "line_0": "PARA", "qty_0": "1", "do": "complete", "cash": "1", "prescription_reference": "rx-000001"]
            )
            #expect(dispensed.status == .seeOther)
            #expect(try await Self.prescription(shop.manager, shop.prescription)["status"] as? String == "dispensed")
            #expect(try await PharmacyFixture.quantity(server, product: shop.morphine) == 50)
        }
    }
}
