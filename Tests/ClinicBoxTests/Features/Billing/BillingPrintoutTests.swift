import ClinicBox
import ClinicBoxCore
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Billing's paper through the real stack: each printout is the document under the tenant's letterhead — no
/// navigation, no form, no button — on the paper the tenant file names, and reached from a link on its page.
@Suite struct BillingPrintoutTests {
    static let letterhead = """
        tax_number: P051234567X
        contact:
          phone: "+254 20 123 4567"
          email: desk@example.com
        printing:
          paper: Letter
          receipt_width: 58mm
        """

    static func clinic() async throws -> ClinicScenario {
        try await ClinicScenario(
            features: ["patients", "billing"],
            extra: InvoicesAPITests.extra + "\n" + letterhead,
            people: InvoicesAPITests.people
        )
    }

    /// What a printout must never show: the page's frame and its controls.
    static func expectOnlyTheDocument(_ html: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        for chrome in ["main-nav", "Sign out", "<form", "<button", "<footer", "csrf_token"] {
            #expect(!html.contains(chrome), "a printout shows \(chrome)", sourceLocation: sourceLocation)
        }
        #expect(html.contains(#"<body class="printout">"#) && html.contains(#"<header class="letterhead">"#), sourceLocation: sourceLocation)
    }

    @Test func anInvoiceItsReceiptItsCreditNoteAndTheStatementPrintUnderTheLetterhead() async throws {
        try await Self.clinic().run { session in
            let (manager, api) = (try await session.signIn(as: .manager), try await session.signIn(as: .staff))
            _ = try await InvoicesAPITests.priceList(manager)
            let patient = try await session.patient(as: api)
            let draft = try await api.create(
                "invoices",
                ["patient_id": patient, "branch": "north", "lines": [["service_code": "CONS"], ["service_code": "XRAY"]]]
            )
            let id = try #require(draft["id"] as? Int)
            let issued = try await api.post("invoices/\(id)/issue", ["version": 1]).json
            let number = try #require(issued["number"] as? String)
            let paid = try await api.create(
                "payments",
                ["patient_id": patient, "branch": "north", "method": "mobile_money", "amount": 8_000, "reference": "QGH7XK2L9P"]
            )
            let receiptNumber = try #require(paid["number"] as? String)
            let line = try #require((issued["lines"] as? [[String: Any]])?.last?["id"] as? Int)
            let credit = try await manager.create("invoices/\(id)/credit-notes", ["lines": [line], "reason": "film not taken"])

            var desk = WebBrowser(session.client)
            try await desk.signIn(tenant: "clinic", email: "manager@example.com", password: TestUsers.password)
            let page = try await desk.get("/t/clinic/billing/invoices/\(id)").cells
            #expect(page.contains(#"<a href="/t/clinic/billing/invoices/\#(id)/print">Print</a>"#))
            #expect(page.contains(#"receipt <a href="/t/clinic/billing/payments/\#(paid["id"]!)">\#(receiptNumber)</a>"#))

            let invoice = try await desk.get("/t/clinic/billing/invoices/\(id)/print")
            #expect(invoice.status == .ok && invoice.headers[.cacheControl] == "no-store")
            let printed = invoice.text
            Self.expectOnlyTheDocument(printed)
            // Letter paper from the tenant file; the branch the invoice is for, with the tenant's contact and tax number.
            #expect(printed.contains(#"href="/t/clinic/page.css?size=216x279""#) && printed.contains("laid out for Letter paper"))
            #expect(printed.contains("<p>North Road</p>") && printed.contains("+254 20 123 4567 · desk@example.com"))
            #expect(printed.contains("Tax no. P051234567X") && printed.contains("<h1>Invoice \(number)</h1>"))
            // 25.00 + 40.00 + 16 % of 40.00 = 71.40; paid 80.00 by M-Pesa, 46.40 credited back.
            #expect(
                printed.contains("<strong>EUR 71.40</strong>") && printed.contains("Mobile money QGH7XK2L9P") && printed.contains("film not taken")
            )

            let receipt = try await desk.get("/t/clinic/billing/payments/\(paid["id"]!)/print").text
            Self.expectOnlyTheDocument(receipt)
            #expect(receipt.contains(#"class="paper roll""#) && receipt.contains("page.css?size=58x"))
            #expect(receipt.contains("<h1>Receipt \(receiptNumber)</h1>") && receipt.contains("<strong>EUR 80.00</strong>"))
            #expect(
                receipt.contains("Invoice \(number)</td><td class=\"amount\">EUR 71.40")
                    && receipt.contains("Credit on account</td><td class=\"amount\">EUR 8.60")
            )

            let note = try await desk.get("/t/clinic/billing/credit-notes/\(credit["id"]!)/print").text
            Self.expectOnlyTheDocument(note)
            #expect(note.contains("<h1>Credit note \(credit["number"] as! String)</h1>") && note.contains("<dd>\(number)</dd>"))
            #expect(note.contains("<strong>EUR 46.40</strong>") && note.contains("film not taken"))

            let statementPage = try await desk.get("/t/clinic/billing/patients/\(patient)/statement").cells
            #expect(
                statementPage.contains("Print the statement")
                    && statementPage.contains(#"<a href="/t/clinic/billing/invoices/\#(id)">\#(number)</a>"#)
            )
            let statement = try await desk.get("/t/clinic/billing/patients/\(patient)/statement/print").text
            Self.expectOnlyTheDocument(statement)
            #expect(statement.contains("<h1>Statement of account</h1>") && statement.contains("Ada Lovelace"))
            // 71.40 charged, 80.00 paid, 46.40 credited: 55.00 in credit.
            #expect(statement.contains("<strong>EUR 55.00 in credit</strong>"))
        }
    }

    @Test func printoutsStayInsideTheUsersBranchesAndRoles() async throws {
        try await Self.clinic().run { session in
            let (manager, api) = (try await session.signIn(as: .manager), try await session.signIn(as: .staff))
            _ = try await InvoicesAPITests.priceList(manager)
            let patient = try await session.patient(as: api)
            let draft = try await api.create("invoices", ["patient_id": patient, "branch": "main", "lines": [["service_code": "CONS"]]])
            var north = WebBrowser(session.client)
            try await north.signIn(tenant: "clinic", email: "north@example.com", password: TestUsers.password)
            #expect(try await north.get("/t/clinic/billing/invoices/\(draft["id"]!)/print").status == .notFound)
            var draftPrint = WebBrowser(session.client)
            try await draftPrint.signIn(tenant: "clinic", email: "staff@example.com", password: TestUsers.password)
            #expect(
                try await draftPrint.get("/t/clinic/billing/invoices/\(draft["id"]!)/print").text.contains("<h1>Draft invoice — not yet issued</h1>")
            )
            let anonymous = try await session.client.execute(uri: "/t/clinic/billing/invoices/\(draft["id"]!)/print", method: .get)
            #expect(anonymous.status == .seeOther)
        }
    }

    @Test func thePageSizeStylesheetIsMadeFromTwoNumbersOnly() async throws {
        try await Self.clinic().run { session in
            let sheet = try await session.client.execute(uri: "/t/clinic/page.css?size=210x297", method: .get)
            #expect(sheet.status == .ok && sheet.headers[.contentType] == "text/css; charset=utf-8")
            #expect(sheet.text == "@page{size:210mm 297mm;margin:0}\n.paper{width:210mm}\n")
            for bad in ["210x297;}body{x", "5x5", "210", "x", "210x2970", "-1x30"] {
                let refused = try await session.client.execute(
                    uri: "/t/clinic/page.css?size=\(bad.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)",
                    method: .get
                )
                #expect(refused.status == .badRequest, "\(bad)")
            }
        }
    }
}
