import ClinicBox
import ClinicBoxCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The price list, as a practice manager keeps it and the desk reads it: through the API and on the pages.
@Suite struct PriceListTests {
    static let tax = "tax:\n  classes: {standard: 16, exempt: 0}\n  default_class: exempt\n  prices_include_tax: false"

    @Test func managersSetPricesTheDeskReadsThemAndEveryChangeIsAudited() async throws {
        let clinic = try await ClinicScenario(features: ["patients", "billing"], extra: Self.tax)
        try await clinic.run { session in
            let (manager, desk, admin) = (
                try await session.signIn(as: .manager), try await session.signIn(as: .staff), try await session.signIn(as: .admin)
            )
            let consultation = try await manager.create(
                "billing/services",
                ["code": "CONS-GP", "name": "GP consultation", "kind": "consultation", "price": 2_500]
            )
            #expect(consultation["tax_class"] is NSNull && consultation["active"] as? Bool == true && consultation["version"] as? Int == 1)
            _ = try await manager.create("billing/services", ["code": "XRAY", "name": "X-ray, one film", "price": 4_000, "tax_class": "standard"])

            // The desk reads the list but does not set prices.
            let refused = try await desk.post("billing/services", ["code": "FREE", "name": "Free", "price": 0])
            #expect(refused.status == .forbidden)
            let listed = try await desk.get("billing/services?kind=consultation")
            #expect(listed.status == .ok && listed.items.map { $0["code"] as? String } == ["CONS-GP"])

            // A code is one entry's, whatever its case; a class the tenant file does not name, and a negative price, are refused.
            let taken = try await manager.post("billing/services", ["code": "cons-gp", "name": "Again", "price": 1])
            #expect(taken.status == .conflict && taken.fieldErrors["code"] == "is already used by GP consultation")
            let wrong = try await manager.post("billing/services", ["code": "LAB", "name": "Lab", "price": -5, "tax_class": "luxury"])
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.fieldErrors["tax_class"] == "must be one of this clinic's tax classes: exempt, standard")
            #expect(wrong.fieldErrors["price"] != nil)

            // A new price, against the version read; a stale one changes nothing.
            let id = try #require(consultation["id"] as? Int)
            let changed = try await manager.patch("billing/services/\(id)", ["version": 1, "price": 3_000])
            #expect(changed.status == .ok && changed.json["price"] as? Int == 3_000 && changed.json["version"] as? Int == 2)
            #expect(try await manager.patch("billing/services/\(id)", ["version": 1, "price": 1]).status == .conflict)

            var browser = WebBrowser(session.client)
            try await browser.signIn(tenant: "clinic", email: "admin@example.com", password: TestUsers.password)
            let audit = try await browser.get("/t/clinic/admin/audit?type=billing_service").cells
            let entry = #"<a href="/t/clinic/billing/services/\#(id)/edit">GP consultation (CONS-GP)</a>"#
            #expect(audit.contains("Manager added \(entry) to the price list"))
            #expect(audit.contains("Manager changed \(entry) on the price list</td><td>price: EUR 25.00 → EUR 30.00</td>"))
            // Prices are the manager's: an admin may too, the desk may not (above).
            #expect(try await admin.patch("billing/services/\(id)", ["version": 2, "active": false]).json["active"] as? Bool == false)
        }
    }

    @Test func thePagesTakeAmountsAsTheCurrencyIsWrittenAndKeepWhatWasTyped() async throws {
        let clinic = try await ClinicScenario(features: ["patients", "billing"], extra: Self.tax)
        try await clinic.run { session in
            var manager = WebBrowser(session.client)
            try await manager.signIn(tenant: "clinic", email: "manager@example.com", password: TestUsers.password)
            let form = try await manager.get("/t/clinic/billing/services/new")
            #expect(form.cells.contains(#"<option value="standard">standard (16%)</option>"#) && form.cells.contains("The default (exempt)"))

            let bad = try await manager.post(
                "/t/clinic/billing/services",
                ["code": "FIL 1", "name": "Filling", "kind": "procedure", "price": "45,5x"]
            )
            #expect(bad.status == .unprocessableContent)
            #expect(bad.cells.contains("write an amount like 12.50") && bad.cells.contains(#"value="45,5x""#))
            #expect(bad.cells.contains(#"id="code-error""#) && bad.cells.contains("(no spaces)"))

            let made = try await manager.post(
                "/t/clinic/billing/services",
                ["code": "FIL1", "name": "Composite filling", "kind": "procedure", "price": "1,045.50", "tax_class": "", "active": "true"]
            )
            #expect(made.status == .seeOther)
            let list = try await manager.get("/t/clinic/billing/services").cells
            #expect(list.contains("<td>FIL1</td>") && list.contains("<td>EUR 1,045.50</td>") && list.contains("<td>default: exempt (0%)</td>"))
            #expect(list.contains("Tax: exempt 0%, standard 16% (default exempt), added."))

            let edit = try #require(list.range(of: #"/t/clinic/billing/services/\d+/edit"#, options: .regularExpression).map { String(list[$0]) })
            let shown = try await manager.get(edit)
            #expect(shown.cells.contains(#"value="1045.50""#) && shown.cells.contains(#"name="version" value="1""#))
            let path = String(edit.dropLast("/edit".count))
            let moved = try await manager.post(
                path,
                [
                    "version": "1", "code": "FIL1", "name": "Composite filling", "kind": "procedure", "price": "1100", "tax_class": "standard",
                    "active": "true",
                ]
            )
            #expect(moved.status == .seeOther)
            #expect(try await manager.get("/t/clinic/billing/services?q=fil1").cells.contains("<td>EUR 1,100.00</td>"))

            // The desk sees prices, without the links that change them.
            var desk = WebBrowser(session.client)
            try await desk.signIn(tenant: "clinic", email: "staff@example.com", password: TestUsers.password)
            let read = try await desk.get("/t/clinic/billing/services").cells
            #expect(read.contains("<td>Composite filling</td>") && !read.contains("New entry"))
            #expect(try await desk.get("/t/clinic/billing/services/new").status == .forbidden)
        }
    }
}
