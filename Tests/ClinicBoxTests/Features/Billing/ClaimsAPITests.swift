import ClinicBox
import ClinicBoxCore
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Insurance through the real stack: payers from the tenant file, a patient's membership, an invoice split into
/// the payer's share and the patient's, the claim that issuing opens, and the payer's answers — each moving the
/// patient's balance the right way and none rewriting what was issued.
@Suite struct ClaimsAPITests {
    static let payers = """
        payers:
          - {code: JUB, name: Jubilee Health Insurance, kind: insurer, share_percent: 80, needs_preauthorisation: true}
          - {code: NHIF, name: National Hospital Insurance Fund, kind: scheme}
        """

    static func clinic() async throws -> (ClinicScenario, TenantDatabase) {
        let clinic = try await ClinicScenario(
            features: ["patients", "billing", "reports"],
            extra: InvoicesAPITests.extra + "\n" + payers,
            people: InvoicesAPITests.people
        )
        return (clinic, try await clinic.server.databases.database(for: TenantID("clinic")!, creating: true))
    }

    @Test func aPayersShareIsClaimedPaidInPartsAndThePatientPaysOnlyTheirs() async throws {
        let (clinic, database) = try await Self.clinic()
        try await clinic.run { session in
            let (manager, desk) = (try await session.signIn(as: .manager), try await session.signIn(as: .staff))
            _ = try await InvoicesAPITests.priceList(manager)
            let patient = try await session.patient(as: desk)
            let lines: [[String: Any]] = [["service_code": "CONS"], ["service_code": "XRAY"]]

            // No membership yet: the payer is refused, by name.
            let noCard = try await desk.post("invoices", ["patient_id": patient, "branch": "main", "payer": "JUB", "lines": lines])
            #expect(
                noCard.status == .unprocessableContent && noCard.fieldErrors["payer"]?.contains("no membership of Jubilee Health Insurance") == true
            )
            let unknown = try await desk.post("patients/\(patient)/memberships", ["payer": "AAR", "member_number": "1"])
            #expect(unknown.fieldErrors["payer"] == "must be one of this clinic's payers: JUB, NHIF")
            let expired = try await desk.create(
                "patients/\(patient)/memberships",
                ["payer": "JUB", "member_number": "JUB-0001", "valid_until": "2020-01-31"]
            )
            #expect(expired["valid_until"] as? String == "2020-01-31")
            #expect(
                try await desk.post("invoices", ["patient_id": patient, "branch": "main", "payer": "JUB", "lines": lines]).status
                    == .unprocessableContent
            )
            _ = try await desk.create("patients/\(patient)/memberships", ["payer": "jub", "member_number": "JUB-7731-02"])
            #expect(
                try await desk.get("patients/\(patient)/memberships").items.map { $0["member_number"] as? String } == ["JUB-7731-02", "JUB-0001"]
            )

            // 80 % of each line by default; the X-ray's share set apart. 25.00 + 46.40 = 71.40: the payer 20.00 + 20.00.
            let draft = try await desk.create(
                "invoices",
                [
                    "patient_id": patient, "branch": "main", "payer": "JUB", "buyer_tax_number": "P051234567X",
                    "lines": [["service_code": "CONS"], ["service_code": "XRAY", "payer_share": 2_000]],
                ]
            )
            let id = try #require(draft["id"] as? Int)
            let split = try #require(draft["lines"] as? [[String: Any]])
            #expect(split.map { $0["payer_share"] as? Int } == [2_000, 2_000] && split.map { $0["patient_share"] as? Int } == [500, 2_640])
            #expect(
                draft["payer_total"] as? Int == 4_000 && draft["patient_total"] as? Int == 3_140 && draft["member_number"] as? String == "JUB-7731-02"
            )
            let tooMuch = try await desk.patch("invoices/\(id)", ["version": 1, "lines": [["service_code": "CONS", "payer_share": 2_501]]])
            #expect(tooMuch.fieldErrors["lines[0].payer_share"] == "is more than the line (EUR 25.00)")

            // Jubilee pays only with a pre-authorisation on each line it pays.
            let unauthorised = try await desk.post("invoices/\(id)/issue", ["version": 1])
            #expect(
                unauthorised.status == .unprocessableContent
                    && unauthorised.fieldErrors.keys.sorted() == ["lines[0].preauthorisation", "lines[1].preauthorisation"]
            )
            _ = try await desk.patch(
                "invoices/\(id)",
                [
                    "version": 1,
                    "lines": [
                        ["service_code": "CONS", "preauthorisation": "PA-5512"],
                        ["service_code": "XRAY", "payer_share": 2_000, "preauthorisation": "PA-5512"],
                    ],
                ]
            )
            let issued = try await desk.post("invoices/\(id)/issue", ["version": 2]).json
            let claimID = try #require(issued["claim_id"] as? Int)
            #expect(issued["claim_status"] as? String == "to_submit" && (issued["claim_number"] as? String)?.hasPrefix("CLM-") == true)

            var statement = try await desk.get("patients/\(patient)/statement").json
            #expect(statement["balance"] as? Int == 3_140 && statement["due"] as? Int == 3_140, "the patient owes their share only")
            #expect((statement["entries"] as? [[String: Any]])?.map { $0["kind"] as? String } == ["invoice", "claim"])

            // The patient pays their share; the payer's stays claimed.
            _ = try await desk.create("payments", ["patient_id": patient, "branch": "main", "method": "cash", "amount": 3_140])
            statement = try await desk.get("patients/\(patient)/statement").json
            #expect(statement["balance"] as? Int == 0 && statement["credit"] as? Int == 0)
            #expect(try await desk.get("invoices/\(id)").json["status"] as? String == "part_paid")

            // A credit note waits for the payer's answer.
            let early = try await manager.post("invoices/\(id)/credit-notes", ["reason": "wrong patient"])
            #expect(early.status == .conflict && early.text.contains("record the payer's answer"))

            let submitted = try await desk.post("claims/\(claimID)/submit", ["version": 1]).json
            #expect(submitted["status"] as? String == "submitted" && submitted["submitted_on"] is String)
            #expect(try await desk.post("claims/\(claimID)/submit", ["version": 2]).status == .conflict)
            let part = try await desk.post("claims/\(claimID)/remittances", ["version": 2, "amount": 1_500, "reference": "EFT-88120"]).json
            #expect(part["status"] as? String == "part_paid" && part["paid"] as? Int == 1_500)
            #expect(try await desk.post("claims/\(claimID)/remittances", ["version": 3, "amount": 2_501]).fieldErrors["amount"] != nil)
            let paid = try await desk.post("claims/\(claimID)/remittances", ["version": 3]).json
            #expect(paid["status"] as? String == "paid" && paid["paid"] as? Int == 4_000)
            #expect((paid["events"] as? [[String: Any]])?.map { $0["status"] as? String } == ["to_submit", "submitted", "part_paid", "paid"])
            #expect(try await desk.get("invoices/\(id)").json["status"] as? String == "paid")
            statement = try await desk.get("patients/\(patient)/statement").json
            #expect(statement["balance"] as? Int == 0 && statement["due"] as? Int == 0, "the payer's money pays the payer's share, not the patient's")
            #expect(try await desk.post("claims/\(claimID)/reject", ["version": 4, "reason": "late"]).status == .conflict, "a paid claim is closed")

            // A remittance is never paid back to the patient.
            let remittance = try #require(try await desk.get("payments?patient_id=\(patient)").items.first { $0["method"] as? String == "insurer" })
            #expect(
                try await manager.post("payments/\(remittance["id"]!)/refunds", ["amount": 100, "method": "cash", "reason": "x"]).status == .conflict
            )

            // What was claimed is never rewritten, not even by SQL straight at the file.
            await #expect(throws: DatabaseError.self) {
                try await database.write { db in try db.execute(sql: "UPDATE claims SET amount = 1 WHERE id = ?", arguments: [claimID]) }
            }
            await #expect(throws: DatabaseError.self) {
                try await database.write { db in try db.execute(sql: "UPDATE invoices SET payer_total = 0 WHERE id = ?", arguments: [id]) }
            }
            await #expect(throws: DatabaseError.self) {
                try await database.write { db in try db.execute(sql: "UPDATE claim_events SET amount = 0") }
            }
        }
    }

    @Test func aRejectedClaimBecomesThePatientsToPay() async throws {
        let (clinic, _) = try await Self.clinic()
        try await clinic.run { session in
            let (manager, desk) = (try await session.signIn(as: .manager), try await session.signIn(as: .staff))
            _ = try await InvoicesAPITests.priceList(manager)
            let patient = try await session.patient(as: desk)
            _ = try await desk.create("patients/\(patient)/memberships", ["payer": "NHIF", "member_number": "NH-220431"])
            let draft = try await desk.create(
                "invoices",
                ["patient_id": patient, "branch": "main", "payer": "NHIF", "lines": [["service_code": "CONS"]]]
            )
            let issued = try await desk.post("invoices/\(draft["id"]!)/issue", ["version": 1]).json
            let claim = try #require(issued["claim_id"] as? Int)
            #expect(try await desk.get("patients/\(patient)/statement").json["balance"] as? Int == 0, "the scheme pays all of it")
            let missing = try await desk.post("claims/\(claim)/reject", ["version": 1])
            #expect(missing.fieldErrors["reason"] == "is required")
            let rejected = try await desk.post("claims/\(claim)/reject", ["version": 1, "reason": "Member not eligible on the visit date"]).json
            #expect(rejected["status"] as? String == "rejected" && rejected["rejection_reason"] as? String == "Member not eligible on the visit date")
            let statement = try await desk.get("patients/\(patient)/statement").json
            #expect(statement["balance"] as? Int == 2_500 && statement["due"] as? Int == 2_500)
            #expect(
                (statement["entries"] as? [[String: Any]])?.last?["description"] as? String == "Claim rejected, Member not eligible on the visit date"
            )
            // The claims list filters by payer and status, in the user's branches only.
            let listed = try await desk.get("claims?payer=nhif&status=rejected")
            #expect(listed.items.count == 1, "\(listed.text)")
            let toSubmit = try await desk.get("claims?status=to_submit")
            #expect(toSubmit.status == .ok && toSubmit.items.isEmpty)
            let north = try await session.signIn("north@example.com")
            let northern = try await north.get("claims")
            #expect(northern.status == .ok && northern.items.isEmpty)
            #expect(try await north.get("claims/\(claim)").status == .notFound)
        }
    }
}

/// The same on the pages, without JavaScript: the membership on the statement page, the payer chosen on the draft,
/// and the claims page where the desk records the payer's answers and downloads what to submit.
@Suite struct ClaimsPagesTests {
    @Test func theDeskRecordsAMembershipBillsThePayerAndFollowsTheClaim() async throws {
        let (clinic, _) = try await ClaimsAPITests.clinic()
        try await clinic.run { session in
            let manager = try await session.signIn(as: .manager)
            _ = try await InvoicesAPITests.priceList(manager)
            let patient = try await session.patient(as: manager)
            var desk = WebBrowser(session.client)
            try await desk.signIn(tenant: "clinic", email: "staff@example.com", password: TestUsers.password)
            let statementPath = "/t/clinic/billing/patients/\(patient)/statement"
            let statement = try await desk.get(statementPath).cells
            #expect(statement.contains("Insurance and other payers") && statement.contains("No membership recorded."))
            let refused = try await desk.post(
                statementPath.replacingOccurrences(of: "statement", with: "memberships"),
                ["payer": "NHIF", "member_number": " ", "valid_until": "soon"]
            )
            #expect(refused.status == .unprocessableContent && refused.cells.contains("write the member number from the patient&#39;s card"))
            #expect(refused.cells.contains("write the date the card is valid until") && refused.cells.contains(#"value="soon""#))
            #expect(
                try await desk.post(
                    statementPath.replacingOccurrences(of: "statement", with: "memberships"),
                    ["payer": "NHIF", "member_number": "NH-220431"]
                )
                .status == .seeOther
            )
            #expect(try await desk.get(statementPath).cells.contains("National Hospital Insurance Fund, member NH-220431"))

            let draft = try await desk.post(
                "/t/clinic/billing/invoices",
                ["patient_id": String(patient), "patient": "x", "patient_searched": "x", "branch": "main"]
            )
            let path = try #require(draft.headers[.location])
            let page = try await desk.get(path).cells
            #expect(page.contains("Insurance or another payer") && page.contains("National Hospital Insurance Fund, member NH-220431"))
            #expect(try await desk.post(path + "/lines", ["version": "1", "kind": "service", "service_id": "1"]).status == .seeOther)
            #expect(try await desk.post(path + "/payer", ["version": "2", "payer": "NHIF"]).status == .seeOther)
            let split = try await desk.get(path).cells
            #expect(split.contains("National Hospital Insurance Fund&#39;s share (member NH-220431)") && split.contains("The patient&#39;s share"))
            #expect(try await desk.post(path + "/issue", ["version": "3"]).status == .seeOther)
            let issued = try await desk.get(path).cells
            #expect(issued.contains("Claim CLM-") && issued.contains("To submit"))

            let claims = try await desk.get("/t/clinic/billing/claims").cells
            #expect(claims.contains("Still owed by payers") && claims.contains("<td>National Hospital Insurance Fund</td><td>EUR 25.00</td>"))
            #expect(claims.contains("member NH-220431") && claims.contains("Mark submitted"))
            let id = try #require(
                claims.range(of: #"claims/\d+/submit"#, options: .regularExpression).map { claims[$0].dropFirst(7).prefix { $0.isNumber } }
            )
            let back = "/t/clinic/billing/claims?payer=&status=to_submit&from=&to="
            #expect(try await desk.post("/t/clinic/billing/claims/\(id)/submit", ["version": "1", "back": back]).status == .seeOther)
            let wrong = try await desk.post("/t/clinic/billing/claims/\(id)/remit", ["version": "2", "amount": "lots", "reference": "EFT-1"])
            #expect(
                wrong.status == .unprocessableContent && wrong.cells.contains("write the amount the payer paid, like 1500 or 15.00"),
                "\(wrong.cells)"
            )
            #expect(wrong.cells.contains(#"value="lots""#) && wrong.cells.contains(#"value="EFT-1""#) && wrong.cells.contains("<details open>"))
            let csv = try await desk.get("/t/clinic/billing/claims?payer=NHIF&status=submitted&format=csv")
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.text.hasPrefix("payer,claim,member number,patient,invoice,issued on,pre-authorisation,amount,paid,status\r\n"))
            #expect(
                csv.text.contains("National Hospital Insurance Fund,CLM-") && csv.text.contains(",NH-220431,Ada Lovelace (P-000001),INV-")
                    && csv.text.contains(",25.00,0.00,submitted")
            )
            #expect(
                try await desk.post("/t/clinic/billing/claims/\(id)/remit", ["version": "2", "amount": "25", "reference": "EFT-1"]).status
                    == .seeOther
            )
            #expect(try await desk.get("/t/clinic/billing/claims?status=paid").cells.contains("<td>Paid</td>"))
            #expect(try await desk.get(path).cells.contains("<td>Paid</td>") == false)
        }
    }
}
