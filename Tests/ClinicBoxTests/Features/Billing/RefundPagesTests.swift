import ClinicBox
import ClinicBoxCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Paying money back on pages: from a payment's page, only out of what the clinic holds for the patient, a manager
/// above the tenant's limit, each refund its own numbered slip printed on the receipt roll.
@Suite struct RefundPagesTests {
    @Test func theDeskPaysBackCreditFromThePaymentsPageAndPrintsTheSlip() async throws {
        let clinic = try await ClinicScenario(
            features: ["patients", "billing"],
            extra: InvoicesAPITests.extra + "\nbilling: {refund_limit: 5}",
            people: InvoicesAPITests.people
        )
        try await clinic.run { session in
            let (manager, api) = (try await session.signIn(as: .manager), try await session.signIn(as: .staff))
            _ = try await InvoicesAPITests.priceList(manager)
            let patient = try await session.patient(as: api)
            let draft = try await api.create("invoices", ["patient_id": patient, "branch": "main", "lines": [["service_code": "CONS"]]])
            let invoice = try #require(draft["id"] as? Int)
            _ = try await api.post("invoices/\(invoice)/issue", ["version": 1])
            // 25.00 asked, 33.00 paid in cash: 8.00 is the patient's credit.
            let paid = try await api.create("payments", ["patient_id": patient, "branch": "main", "method": "cash", "amount": 3_300])
            let payment = try #require(paid["id"] as? Int)
            let path = "/t/clinic/billing/payments/\(payment)"

            var desk = WebBrowser(session.client)
            try await desk.signIn(tenant: "clinic", email: "staff@example.com", password: TestUsers.password)
            // The invoice and the statement lead to the payment's page.
            #expect(try await desk.get("/t/clinic/billing/invoices/\(invoice)").cells.contains(#"<a href="\#(path)">"#))
            #expect(try await desk.get("/t/clinic/billing/patients/\(patient)/statement").cells.contains(#"<a href="\#(path)">"#))
            let page = try await desk.get(path).cells
            #expect(page.contains("Settled <a href=\"/t/clinic/billing/invoices/\(invoice)\">invoice"))
            #expect(page.contains("Up to EUR 8.00") && page.contains("A refund over EUR 5.00 needs a manager."))
            #expect(page.contains(#"name="amount" type="text" value="8.00""#))

            // What is wrong is said beside its field, and what was typed stays.
            let empty = try await desk.post(path + "/refunds", ["amount": "3", "method": "cash", "reason": " "])
            #expect(empty.status == .unprocessableContent && empty.cells.contains("say why the money is paid back"))
            #expect(empty.cells.contains(#"name="amount" type="text" value="3""#))
            let tooMuch = try await desk.post(path + "/refunds", ["amount": "9", "method": "cash", "reason": "paid twice"])
            #expect(tooMuch.status == .conflict && tooMuch.cells.contains("is more than the patient&#39;s credit on account (EUR 8.00)"))
            #expect(tooMuch.cells.contains(#"value="paid twice""#))
            let overLimit = try await desk.post(path + "/refunds", ["amount": "6", "method": "cash", "reason": "paid twice"])
            #expect(overLimit.status == .forbidden && overLimit.cells.contains("a refund over EUR 5.00 needs a manager"))

            let refunded = try await desk.post(path + "/refunds", ["amount": "4.50", "method": "mobile_money", "reason": "overpaid at the desk"])
            #expect(refunded.status == .seeOther && refunded.headers[.location] == path)
            let after = try await desk.get(path).cells
            let refunds = try await api.get("payments/\(payment)").json["refunds"] as? [[String: Any]]
            let refund = try #require(refunds?.first)
            let (refundID, number) = (try #require(refund["id"] as? Int), try #require(refund["number"] as? String))
            #expect(refund["amount"] as? Int == 450 && refund["method"] as? String == "mobile_money")
            #expect(
                after.contains(#"<a href="/t/clinic/billing/refunds/\#(refundID)/print">\#(number)</a>"#) && after.contains("overpaid at the desk")
            )
            #expect(after.contains("Up to EUR 3.50"))
            #expect(
                try await desk.get("/t/clinic/billing/patients/\(patient)/statement").cells.contains(
                    #"<a href="/t/clinic/billing/refunds/\#(refundID)/print">\#(number)</a>"#
                )
            )

            let slip = try await desk.get("/t/clinic/billing/refunds/\(refundID)/print").text
            BillingPrintoutTests.expectOnlyTheDocument(slip)
            #expect(slip.contains("<h1>Refund \(number)</h1>") && slip.contains(#"class="paper roll""#))
            #expect(slip.contains("<strong>EUR 4.50</strong>") && slip.contains("Mobile money") && slip.contains("Why: overpaid at the desk"))
            #expect(slip.contains("Of receipt \(paid["number"] as? String ?? "?")") && slip.contains("Received by the patient"))
            // A refund of another branch's payment is not there for a user of one branch.
            var north = WebBrowser(session.client)
            try await north.signIn(tenant: "clinic", email: "north@example.com", password: TestUsers.password)
            #expect(try await north.get("/t/clinic/billing/refunds/\(refundID)/print").status == .notFound)
            #expect(try await north.get(path).status == .notFound)
        }
    }
}
