import ClinicBox
import ClinicBoxCore
import Foundation
import GRDB
import HummingbirdTesting
import Testing

/// The allergy check where medicine reaches a patient: writing a prescription, dispensing it, and selling against it.
@Suite struct AllergySafetyTests {
    @Test func aPenicillinAllergyStopsAmoxicillinUnlessAReasonIsGivenWhichIsKeptAndAudited() async throws {
        let scenario = try await ClinicScenario(tenant: "clinic") { try await ClinicalRecordAPITests.server($0) }
        let server = scenario.server
        try await scenario.run { session in
            let doc = try await session.signIn("doc@example.com")
            let patient = try #require(try await doc.create("patients", TestRecords.ada)["id"] as? Int)
            _ = try await doc.create("patients/\(patient)/allergies", ["substance": "Penicillin", "reaction": "anaphylaxis", "severity": "severe"])
            let amoxicillin: [String: Any] = [
                "patient_id": patient,
                "items": [["medicine": "Amoxicillin", "strength": "500 mg", "dose": "1 capsule 3 times a day", "quantity": 21]],
            ]

            let refused = try await doc.post("prescriptions", amoxicillin)
            #expect(refused.status == .conflict)
            #expect(refused.json["title"] as? String == "Allergy")
            #expect(
                refused.json["detail"] as? String
                    == "The patient has an active allergy to Penicillin (severe allergy, reaction: anaphylaxis): Amoxicillin is a penicillin. Nothing was written. To go ahead anyway, give the reason in allergy_override_reason."
            )
            #expect(refused.fieldErrors == ["allergy_override_reason": "is required to go ahead despite the allergy to Penicillin"])
            #expect(try await doc.get("prescriptions").items.isEmpty, "nothing was written")

            var overridden = amoxicillin
            overridden["allergy_override_reason"] = "Tolerated amoxicillin in 2024 under observation"
            let written = try await doc.create("prescriptions", overridden)
            #expect(written["allergy_override_reason"] as? String == "Tolerated amoxicillin in 2024 under observation")
            #expect(written["allergy_override_by"] as? String == "Dr Amina Njoroge")

            // Medicines that share nothing with the allergy are written as before, without a reason.
            let paracetamol = try await doc.create(
                "prescriptions",
                ["patient_id": patient, "items": [["medicine": "Paracetamol", "dose": "1 g as needed", "quantity": 20]]]
            )
            #expect(paracetamol["allergy_override_reason"] is NSNull)
        }
        let database = try await server.databases.database(for: TenantID("clinic")!, creating: true)
        let audited = try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT entity_type, entity_id, changes FROM audit_log WHERE action = 'patients.allergy_override'").map {
                "\($0["entity_type"] as String) \($0["entity_id"] as String) \($0["changes"] as String)"
            }
        }
        #expect(audited.count == 1)
        #expect(audited.first?.hasPrefix("prescription 1 ") == true)
        #expect(audited.first?.contains("Tolerated amoxicillin in 2024 under observation") == true)
    }

    @Test func substancesMatchByWordWithoutCaseOrAccentsAndByDrugClass() async throws {
        let scenario = try await ClinicScenario(tenant: "clinic") { try await ClinicalRecordAPITests.server($0) }
        try await scenario.run { session in
            let doc = try await session.signIn("doc@example.com")
            let patient = try #require(try await doc.create("patients", TestRecords.ada)["id"] as? Int)
            for (substance, severity) in [("IBUPROFÈN", "moderate"), ("sulfa drugs", "unknown")] {
                _ = try await doc.create("patients/\(patient)/allergies", ["substance": substance, "severity": severity])
            }
            func detail(_ medicine: String) async throws -> String? {
                let answer = try await doc.post(
                    "prescriptions",
                    ["patient_id": patient, "items": [["medicine": medicine, "dose": "1", "quantity": 1]]]
                )
                return answer.status == .conflict ? answer.json["detail"] as? String : "written (\(answer.status.code))"
            }
            #expect(try await detail("Ibuprofen 400")?.contains("IBUPROFÈN (moderate allergy): Ibuprofen 400 matches it") == true)
            #expect(try await detail("Naproxen")?.contains("IBUPROFÈN (moderate allergy): Naproxen is an NSAID") == true)
            #expect(
                try await detail("Co-trimoxazole")?.contains("sulfa drugs (allergy of unknown severity): Co-trimoxazole is a sulfonamide") == true
            )
            #expect(try await detail("Cefalexin") == "written (201)", "a cephalosporin is not a sulfonamide or an NSAID")
            #expect(try await detail("Paracetamol") == "written (201)")
        }
    }

    @Test func thePharmacistChecksAgainWhenDispensingAndAtTheTill() async throws {
        let workspace = try TestWorkspace()
        try workspace.write("pharm", PharmacyFixture.yaml(features: ["patients", "inventory", "sales", "prescriptions"]))
        let server = try await workspace.server()
        try await server.addUser("boss@example.com", role: .admin, password: TestUsers.password, to: ["pharm"])
        try await server.addUser("pharmacist@example.com", role: .clinician, password: TestUsers.password, to: ["pharm"])
        try await server.addUser("till@example.com", role: .staff, password: TestUsers.password, to: ["pharm"])
        try await server.application.test(.router) { client in
            let boss = try await APIClient.signIn(client, tenant: "pharm", email: "boss@example.com")
            let pharmacist = try await APIClient.signIn(client, tenant: "pharm", email: "pharmacist@example.com")
            // The product is sold under a brand; its generic name is what the allergy check reads.
            let (product, _) = try await PharmacyFixture.stock(
                boss,
                sku: "AMX",
                quantity: 50,
                product: ["name": "Amoxil 500", "generic_name": "amoxicillin"]
            )
            let patient = try #require(try await pharmacist.create("patients", TestRecords.ada)["id"] as? Int)
            let rx = try await pharmacist.create(
                "prescriptions",
                ["patient_id": patient, "items": [["medicine": "Amoxil", "dose": "1 three times a day", "quantity": 21, "repeats": 1]]]
            )
            let (rxID, itemID) = (rx["id"] as? Int ?? 0, (rx["items"] as? [[String: Any]])?.first?["id"] as? Int ?? 0)
            // The allergy is found after the prescription was written, before it is handed out.
            _ = try await pharmacist.create("patients/\(patient)/allergies", ["substance": "penicillins", "severity": "mild", "reaction": "rash"])

            let dispense: [String: Any] = ["branch": "main", "items": [["item_id": itemID, "quantity": 21, "product_id": product]]]
            let refused = try await pharmacist.post("prescriptions/\(rxID)/dispense", dispense)
            #expect(refused.status == .conflict)
            #expect(
                refused.json["detail"] as? String
                    == "The patient has an active allergy to penicillins (mild allergy, reaction: rash): Amoxil is a penicillin. Nothing was dispensed. To go ahead anyway, give the reason in allergy_override_reason."
            )
            #expect(try await PharmacyFixture.quantity(server, product: product) == 50, "no stock was taken")

            let dispensed = try await pharmacist.create(
                "prescriptions/\(rxID)/dispense",
                dispense.merging(["allergy_override_reason": "Rash was from the virus, per GP letter"]) { $1 }
            )
            let dispensing = ((dispensed["items"] as? [[String: Any]])?.first?["dispensings"] as? [[String: Any]])?.first
            #expect(dispensing?["allergy_override_reason"] as? String == "Rash was from the virus, per GP letter")

            // The repeat, sold at the till against the prescription, is checked the same way. Going ahead is the
            // pharmacist's decision, not the cashier's: the cashier is told whom to ask, and a reason from them is refused.
            let sale = PharmacyFixture.sale(product, 21, payments: [["method": "cash", "amount": 500 * 21]], extra: ["prescription_id": rxID])
            let cashier = try await APIClient.signIn(client, tenant: "pharm", email: "till@example.com")
            let asked = try await cashier.post("sales", sale)
            #expect(asked.status == .conflict && asked.fieldErrors.isEmpty, "no reason asked of someone who may not give one")
            #expect(
                (asked.json["detail"] as? String)?.hasSuffix(
                    "Nothing was sold. Going ahead despite it is for those who may dispense prescriptions: ask Boss or Pharmacist."
                ) == true,
                "the people who can act, by name"
            )
            let cashierReason = try await cashier.post("sales", sale.merging(["allergy_override_reason": "Customer says it is fine"]) { $1 })
            #expect(cashierReason.status == .forbidden)
            #expect(
                cashierReason.fieldErrors["allergy_override_reason"]?.hasPrefix(
                    "can only be given by those who may dispense prescriptions (Boss or Pharmacist)"
                ) == true
            )
            #expect(try await PharmacyFixture.quantity(server, product: product) == 29, "the cashier sold nothing")
            let atTill = try await boss.post("sales", sale)
            #expect(atTill.status == .conflict)
            #expect((atTill.json["detail"] as? String)?.contains("Nothing was sold.") == true)
            let sold = try await boss.post(
                "sales",
                sale.merging(["allergy_override_reason": "Same as last week", "early_repeat_reason": "leaving the country tomorrow"]) { $1 }
            )
            #expect(sold.status == .created, "\(sold.text)")
        }
        let database = try await server.databases.database(for: TenantID("pharm")!, creating: true)
        let overrides = try await database.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_log WHERE action = 'patients.allergy_override'")
        }
        #expect(overrides == 2)
    }
}
