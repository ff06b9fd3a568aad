import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import ClinicBox
@testable import ClinicBoxCore
@testable import Sales

/// The reports a pharmacy manager reads in the browser, and the CSV they take away.
@Suite struct ReportPagesTests {
    @Test func aManagerReadsTheReportsAndDownloadsCSV() async throws {
        let workspace = try TestWorkspace()
        let server = try await PharmacyFixture.server(workspace, features: ["patients", "inventory", "sales", "reports"])
        try await server.application.test(.router) { client in
            let manager = try await APIClient.signIn(client, tenant: "pharm", email: "manager@example.com")
            let (product, _) = try await PharmacyFixture.stock(manager, sku: "ORS", quantity: 10, price: 150)
            try await PharmacyFixture.stock(manager, sku: "GAUZE", quantity: 5, price: 80, branch: "north")
            _ = try await manager.create("sales", PharmacyFixture.sale(product, 4, payments: [["method": "cash", "amount": 1000]]))

            var browser = WebBrowser(client)
            try await browser.signIn(tenant: "pharm", email: "manager@example.com", password: TestUsers.password)
            let index = try await browser.get("/t/pharm/reports")
            #expect(index.cells.contains(#"<a href="/t/pharm/reports/sales-by-product">Sales by product</a>"#))
            #expect(!index.cells.contains("appointments-per-day"))  // the tenant has no appointments

            let byProduct = try await browser.get("/t/pharm/reports/sales-by-product")
            #expect(byProduct.cells.contains("<td>ORS</td><td>Product ORS</td><td>4</td><td>EUR 6.00</td>"))
            #expect(!byProduct.cells.contains("product id") && !byProduct.cells.contains("<td>\(product)</td>"), "no record ids on screen")
            #expect(byProduct.cells.contains("<tfoot><tr><td>Total</td><td></td><td>4</td><td>EUR 6.00</td></tr></tfoot>"))
            let today = CalendarDate.today(in: TimeZone(identifier: "Europe/Berlin")!)
            let monthStart = String(today.description.prefix(8)) + "01"
            #expect(byProduct.cells.contains(#"<a href="/t/pharm/reports/sales-by-product?from=\#(monthStart)&amp;to=\#(today)">This month</a>"#))
            let value = try await browser.get("/t/pharm/reports/stock-value?branch=north")
            #expect(value.cells.contains("<td>North Road</td>") && !value.cells.contains("<td>Main Street</td>"), "branches by name")
            let csvLink = try #require(
                byProduct.cells.range(of: #"href="[^"]*format=csv[^"]*""#, options: .regularExpression).map {
                    String(byProduct.cells[$0].dropFirst(6).dropLast())
                }
            )
            let csv = try await browser.get(csvLink.replacingOccurrences(of: "&amp;", with: "&"))
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            let lastMonth = try await browser.get("/t/pharm/reports/sales-per-day?from=2026-11-01&to=2026-11-30&format=csv")
            #expect(lastMonth.headers[.contentDisposition] == #"attachment; filename="pharm-sales-per-day-2026-11.csv""#)
            let week = try await browser.get("/t/pharm/reports/sales-per-day?from=2026-11-02&to=2026-11-08&format=csv")
            #expect(week.headers[.contentDisposition] == #"attachment; filename="pharm-sales-per-day-2026-11-02-to-2026-11-08.csv""#)
            #expect(csv.cells == "product_id,sku,name,units,revenue,currency\r\n\(product),ORS,Product ORS,4,6.00,EUR\r\n")
            #expect(try await browser.get("/t/pharm/reports/sales-per-day?from=2026-02-30").status == .badRequest)
            #expect(try await browser.get("/t/pharm/reports/appointments-per-day").status == .forbidden)
        }
    }
}
