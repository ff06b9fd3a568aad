import ClinicBox
import ClinicBoxCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// An invoice made in the browser without JavaScript: a draft built line by line, refused lines coming back with
/// their messages and what was typed, issued after a confirmation, and credited by a manager.
@Suite struct InvoicePagesTests {
    @Test func theDeskBuildsADraftLineByLineIssuesItAndAManagerCreditsALine() async throws {
        let (clinic, _) = try await InvoicesAPITests.clinic()
        try await clinic.run { session in
            let manager = try await session.signIn(as: .manager)
            _ = try await InvoicesAPITests.priceList(manager)
            let patient = try await session.patient(as: manager)
            let number = try #require(try await manager.get("patients/\(patient)").json["number"] as? String)
            let services = try await manager.get("billing/services?sort=code").items
            let (cons, xray) = (String(services[0]["id"] as! Int), String(services[1]["id"] as! Int))

            var desk = WebBrowser(session.client)
            try await desk.signIn(tenant: "clinic", email: "staff@example.com", password: TestUsers.password)
            let form = try await desk.get("/t/clinic/billing/invoices/new?patient=\(number)")
            #expect(form.cells.contains("For <strong>Ada Lovelace</strong>"))
            let started = try await desk.post(
                "/t/clinic/billing/invoices",
                ["patient": number, "patient_searched": number, "patient_id": String(patient), "branch": "main"]
            )
            let path = try #require(started.headers[.location])
            let draft = try await desk.get(path).cells
            #expect(draft.contains("<h1>Draft invoice</h1>") && draft.contains("No lines yet.") && !draft.contains("Issue invoice…"))

            let unreadable = try await desk.post(path + "/lines", ["version": "1", "kind": "service", "service_id": xray, "discount": "lots"])
            #expect(unreadable.status == .unprocessableContent && unreadable.cells.contains("write an amount like 12.50 or a percentage like 10%"))
            #expect(unreadable.cells.contains(#"value="lots""#))
            let tooMuch = try await desk.post(
                path + "/lines",
                ["version": "1", "kind": "service", "service_id": xray, "quantity": "2", "discount": "20%", "discount_reason": "retake"]
            )
            #expect(tooMuch.status == .forbidden && tooMuch.cells.contains("A discount of more than 10% needs a manager"))
            #expect(tooMuch.cells.contains("is more than 10% of the line; a manager gives it") && tooMuch.cells.contains(#"value="20%""#))
            let noReason = try await desk.post(
                path + "/lines",
                ["version": "1", "kind": "free", "free_description": "Dressing", "free_unit_price": "3.50"]
            )
            #expect(noReason.status == .unprocessableContent && noReason.cells.contains("say why it is billed outside the price list"))
            #expect(noReason.cells.contains(#"value="Dressing""#) && noReason.cells.contains("<details open>"))

            #expect(try await desk.post(path + "/lines", ["version": "1", "kind": "service", "service_id": cons]).status == .seeOther)
            #expect(
                try await desk.post(path + "/lines", ["version": "2", "kind": "service", "service_id": xray, "quantity": "2"]).status == .seeOther
            )
            let free = [
                "version": "3", "kind": "free", "free_description": "Dressing", "free_unit_price": "3.50", "free_tax_class": "standard",
                "free_reason": "new item",
            ]
            #expect(try await desk.post(path + "/lines", free).status == .seeOther)
            #expect(try await desk.post(path + "/lines/1/remove", ["version": "4"]).status == .seeOther)
            #expect(
                try await desk.post(path + "/discount", ["version": "5", "whole_discount": "5%", "whole_discount_reason": "staff family"]).status
                    == .seeOther
            )
            let built = try await desk.get(path).cells
            // 2 × 40.00 + 3.50 = 83.50, 5 % off = 4.18 → 79.32 net, 16 % tax 12.69 → 92.01.
            #expect(built.contains("<td>X-ray <span class=\"muted\">XRAY</span></td>") && built.contains("new item"))
            #expect(built.contains("Discounts (on the whole: staff family)") && built.contains("− EUR 4.18") && built.contains("Tax 16%"))
            #expect(built.contains("<strong>EUR 92.01</strong>"))
            let stale = try await desk.post(path + "/lines", ["version": "1", "kind": "service", "service_id": cons])
            #expect(stale.status == .conflict && stale.cells.contains("was changed since you read it"))

            let confirm = try await desk.get(path + "/issue")
            #expect(confirm.cells.contains("Issue this invoice for EUR 92.01?"))
            #expect(try await desk.post(path + "/issue", ["version": "6"]).status == .seeOther)
            let year = CalendarDate.today(in: TimeZone(identifier: "Europe/Berlin")!).year
            let issued = try await desk.get(path).cells
            #expect(issued.contains("<h1>Invoice INV-\(year)-000001</h1>") && !issued.contains("Add line") && !issued.contains("Credit this invoice"))
            #expect(
                try await desk.post(path + "/lines", ["version": "7", "kind": "service", "service_id": cons]).cells.contains(
                    "is issued and never changes"
                )
            )
            let list = try await desk.get("/t/clinic/billing").cells
            #expect(
                list.contains("INV-\(year)-000001</a></td><td>Ada Lovelace</td>")
                    && list.contains("<td>EUR 92.01</td><td>EUR 92.01</td><td>Issued</td>")
            )

            var boss = WebBrowser(session.client)
            try await boss.signIn(tenant: "clinic", email: "manager@example.com", password: TestUsers.password)
            let page = try await boss.get(path).cells
            let line = try #require(page.range(of: #"credit_line_\d+"#, options: .regularExpression).map { String(page[$0]) })
            let noWhy = try await boss.post(path + "/credit", [line: "true"])
            #expect(noWhy.status == .unprocessableContent && noWhy.cells.contains("say why the invoice is credited"))
            #expect(try await boss.post(path + "/credit", [line: "true", "credit_reason": "film not taken"]).status == .seeOther)
            let credited = try await boss.get(path).cells
            #expect(
                credited.contains("credited by CN-\(year)-000001") && credited.contains("CN-\(year)-000001") && credited.contains("film not taken")
            )
        }
    }

    @Test func theDeskTakesMoneyOnTheInvoiceAndTheChartShowsTheAccount() async throws {
        let (clinic, _) = try await InvoicesAPITests.clinic()
        try await clinic.run { session in
            let (manager, api) = (try await session.signIn(as: .manager), try await session.signIn(as: .staff))
            _ = try await InvoicesAPITests.priceList(manager)
            let patient = try await session.patient(as: api)
            let draft = try await api.create("invoices", ["patient_id": patient, "branch": "main", "lines": [["service_code": "CONS"]]])
            let id = try #require(draft["id"] as? Int)
            _ = try await api.post("invoices/\(id)/issue", ["version": 1])
            let path = "/t/clinic/billing/invoices/\(id)"

            var desk = WebBrowser(session.client)
            try await desk.signIn(tenant: "clinic", email: "staff@example.com", password: TestUsers.password)
            let page = try await desk.get(path).cells
            #expect(page.contains("Take a payment") && page.contains(#"name="amount" type="text" value="25.00""#))
            let noCode = try await desk.post(path + "/payments", ["method": "mobile_money", "amount": "10.00", "reference": ""])
            #expect(noCode.status == .unprocessableContent && noCode.cells.contains("write the transaction code of the mobile money message"))
            #expect(noCode.cells.contains(#"value="10.00""#))
            #expect(
                try await desk.post(path + "/payments", ["method": "mobile_money", "amount": "10.00", "reference": "QGH7XK2L9P"]).status == .seeOther
            )
            let twice = try await desk.post(path + "/payments", ["method": "mobile_money", "amount": "5.00", "reference": "qgh7xk2l9p"])
            #expect(twice.status == .conflict && twice.cells.contains("was already used for payment RCT-"))
            let part = try await desk.get(path).cells
            #expect(part.contains("Part paid") && part.contains(#"value="15.00""#) && part.contains("<strong>EUR 15.00</strong>"))

            // The chart says what is owed, and the statement lists the invoice and the payment.
            let chart = try await desk.get("/t/clinic/patients/\(patient)").cells
            #expect(chart.contains("<strong>Owes EUR 15.00</strong>") && chart.contains("Invoice INV-") && chart.contains("Payment RCT-"))
            let statement = try await desk.get("/t/clinic/billing/patients/\(patient)/statement").cells
            #expect(
                statement.contains("<td>EUR 25.00</td><td></td><td>EUR 25.00</td>")
                    && statement.contains("<td></td><td>EUR 10.00</td><td>EUR 15.00</td>")
            )
            // Paying more than is asked from the statement leaves credit on account.
            #expect(statement.contains(#"<option value="north">North Road</option>"#), "a user of two branches says whose till takes it")
            #expect(
                try await desk.post("/t/clinic/billing/patients/\(patient)/payments", ["method": "cash", "amount": "20", "branch": "north"]).status
                    == .seeOther
            )
            #expect(try await api.get("payments?patient_id=\(patient)").items.first?["branch"] as? String == "north")
            let paid = try await desk.get("/t/clinic/billing/patients/\(patient)/statement").cells
            #expect(paid.contains("<strong>EUR 5.00 in credit</strong>") && paid.contains("Credit on account</th><td>EUR 5.00"))
            #expect(try await desk.get("/t/clinic/patients/\(patient)").cells.contains("In credit: EUR 5.00"))
        }
    }
}
