import ClinicBox
import ClinicBoxCore
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Invoices through the real HTTP stack on a real tenant file and database: drafts priced from the price list,
/// discounts within the limits, issuing with gapless numbers, and credit notes as the only way back.
@Suite struct InvoicesAPITests {
    static let extra = """
        branches:
          - {code: main, name: Main Street}
          - {code: north, name: North Road}
        tax:
          classes: {standard: 16, exempt: 0}
          default_class: exempt
          prices_include_tax: false
        """

    static let people = ClinicScenario.everyRole + [ClinicScenario.Person(email: "north@example.com", role: .staff, branches: ["north"])]

    /// The clinic with its price list: a consultation (exempt) and an X-ray (standard rate).
    static func clinic() async throws -> (ClinicScenario, TenantDatabase) {
        let clinic = try await ClinicScenario(features: ["patients", "billing", "reports"], extra: extra, people: people)
        let database = try await clinic.server.databases.database(for: TenantID("clinic")!, creating: true)
        return (clinic, database)
    }

    static func priceList(_ manager: APIClient) async throws -> Int {
        _ = try await manager.create("billing/services", ["code": "CONS", "name": "Consultation", "kind": "consultation", "price": 2_500])
        let xray = try await manager.create("billing/services", ["code": "XRAY", "name": "X-ray", "price": 4_000, "tax_class": "standard"])
        return try #require(xray["id"] as? Int)
    }

    @Test func aDraftIsPricedFromTheListIssuedWithTheNextNumberAndNeverChangesAgain() async throws {
        let (clinic, database) = try await Self.clinic()
        try await clinic.run { session in
            let (desk, manager) = (try await session.signIn(as: .staff), try await session.signIn(as: .manager))
            let xray = try await Self.priceList(manager)
            let patient = try await session.patient(as: desk)
            let lines: [[String: Any]] = [
                ["service_code": "CONS"], ["service_id": xray, "quantity": 2],
                ["description": "Dressing pack", "unit_price": 350, "reason": "not on the price list yet", "tax_class": "standard"],
            ]
            let draft = try await desk.create("invoices", ["patient_id": patient, "branch": "main", "lines": lines])
            let id = try #require(draft["id"] as? Int)
            let priced = try #require(draft["lines"] as? [[String: Any]])
            #expect(priced.map { $0["total"] as? Int } == [2_500, 9_280, 406] && priced.map { $0["tax"] as? Int } == [0, 1_280, 56])
            #expect(priced.map { $0["item_code"] as? String } == ["CONS", "XRAY", nil] && priced[1]["tax_class"] as? String == "standard")
            #expect(
                draft["status"] as? String == "draft" && draft["number"] is NSNull && draft["total"] as? Int == 12_186
                    && draft["tax"] as? Int == 1_336
            )

            // A free line says why; a line the list does not have, or a class the tenant file does not name, is refused.
            let incomplete = try await desk.post(
                "invoices",
                ["patient_id": patient, "branch": "main", "lines": [["description": "Thing", "unit_price": 100], ["service_code": "NOPE"]]]
            )
            #expect(incomplete.status == .unprocessableContent && incomplete.fieldErrors["lines[0].reason"] != nil)

            // 20 % off the X-rays is over the 10 % limit: the desk cannot give it, a manager can, and it stays approved
            // while the desk changes something else.
            var discounted = lines
            discounted[1] = ["service_id": xray, "quantity": 2, "discount_percent": 20, "discount_reason": "second film retaken"]
            let refused = try await desk.patch("invoices/\(id)", ["version": 1, "lines": discounted])
            #expect(refused.status == .forbidden && refused.fieldErrors["lines[1].discount"] == "is more than 10% of the line; a manager gives it")
            let approved = try await manager.patch("invoices/\(id)", ["version": 1, "lines": discounted])
            #expect(approved.status == .ok && approved.json["total"] as? Int == 10_330)  // 2,500 + 6,400 + 1,024 + 406
            let noted = try await desk.patch("invoices/\(id)", ["version": 2, "notes": "Paid by the employer later"])
            #expect(noted.status == .ok && noted.json["total"] as? Int == 10_330 && noted.json["notes"] as? String == "Paid by the employer later")
            #expect(try await desk.patch("invoices/\(id)", ["version": 3, "lines": discounted]).status == .ok)

            let issued = try await desk.post("invoices/\(id)/issue", ["version": 4])
            #expect(issued.status == .ok && issued.json["status"] as? String == "issued")
            let year = CalendarDate.today(in: TimeZone(identifier: "Europe/Berlin")!).year
            #expect(issued.json["number"] as? String == "INV-\(year)-000001" && issued.json["balance"] as? Int == 10_330)

            // Issued is final: through the API and through SQL typed straight at the file.
            let late = try await desk.patch("invoices/\(id)", ["version": 5, "notes": "changed"])
            #expect(
                late.status == .conflict
                    && late.json["detail"] as? String
                        == "Invoice INV-\(year)-000001 is issued and never changes; a manager cancels it with a credit note."
            )
            for sql in [
                "UPDATE invoices SET total = 1 WHERE id = \(id)", "UPDATE invoices SET number = 'INV-X' WHERE id = \(id)",
                "UPDATE invoices SET status = 'draft', number = NULL, issued_on = NULL WHERE id = \(id)", "DELETE FROM invoices WHERE id = \(id)",
                "UPDATE invoice_lines SET unit_price = 1 WHERE invoice_id = \(id)", "DELETE FROM invoice_lines WHERE invoice_id = \(id)",
                "INSERT INTO invoice_lines (invoice_id, position, description, quantity, unit_price, discount, tax_class, tax_rate, discount_total, net, tax, total) VALUES (\(id), 9, 'x', 1, 1, 0, 'exempt', 0, 0, 1, 0, 1)",
                "UPDATE billing_numbers SET last = last + 5", "DELETE FROM billing_numbers",
            ] {
                await #expect(throws: DatabaseError.self, "\(sql)") { try await database.write { db in try db.execute(sql: sql) } }
            }

            // The next invoice takes the next number.
            let second = try await desk.create("invoices", ["patient_id": patient, "branch": "main", "lines": [["service_code": "CONS"]]])
            let next = try await desk.post("invoices/\(second["id"] as! Int)/issue", ["version": 1])
            #expect(next.json["number"] as? String == "INV-\(year)-000002")
        }
    }

    @Test func onlyACreditNoteTakesBackWhatAnIssuedInvoiceCharged() async throws {
        let (clinic, database) = try await Self.clinic()
        try await clinic.run { session in
            let (desk, manager, north) = (
                try await session.signIn(as: .staff), try await session.signIn(as: .manager), try await session.signIn("north@example.com")
            )
            let xray = try await Self.priceList(manager)
            let patient = try await session.patient(as: desk)
            let draft = try await desk.create(
                "invoices",
                ["patient_id": patient, "branch": "main", "lines": [["service_code": "CONS"], ["service_id": xray]]]
            )
            let id = try #require(draft["id"] as? Int)
            let issued = try await desk.post("invoices/\(id)/issue", ["version": 1]).json
            let lineIDs = (issued["lines"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
            #expect(issued["total"] as? Int == 7_140 && lineIDs.count == 2)

            // Another branch's desk does not see it; the desk does not credit.
            #expect(try await north.get("invoices/\(id)").status == .notFound)
            #expect(try await north.get("invoices").items.isEmpty)
            #expect(try await desk.post("invoices/\(id)/credit-notes", ["reason": "x"]).status == .forbidden)

            let credit = try await manager.create("invoices/\(id)/credit-notes", ["reason": "Consultation not held", "lines": [lineIDs[0]]])
            let year = CalendarDate.today(in: TimeZone(identifier: "Europe/Berlin")!).year
            #expect(credit["number"] as? String == "CN-\(year)-000001" && credit["total"] as? Int == 2_500)
            #expect(credit["invoice_number"] as? String == "INV-\(year)-000001")
            let after = try await desk.get("invoices/\(id)").json
            #expect(after["credited"] as? Int == 2_500 && after["balance"] as? Int == 4_640 && after["status"] as? String == "issued")
            #expect((after["lines"] as? [[String: Any]])?.first?["credited_by"] as? String == "CN-\(year)-000001")
            let again = try await manager.post("invoices/\(id)/credit-notes", ["reason": "twice", "lines": [lineIDs[0]]])
            #expect(again.status == .conflict && again.fieldErrors["lines[0]"] == "line 1 is already credited by CN-\(year)-000001")

            // The rest: the invoice is credited in full and owes nothing; the credit notes stay as they were written.
            let rest = try await manager.create("invoices/\(id)/credit-notes", ["reason": "Billed to the wrong patient"])
            #expect(rest["number"] as? String == "CN-\(year)-000002" && rest["total"] as? Int == 4_640)
            let final = try await desk.get("invoices/\(id)").json
            #expect(final["status"] as? String == "credited" && final["balance"] as? Int == 0)
            #expect(try await desk.get("credit-notes/\(rest["id"] as! Int)").json["reason"] as? String == "Billed to the wrong patient")
            #expect(try await north.get("credit-notes/\(rest["id"] as! Int)").status == .notFound)
            for sql in [
                "UPDATE credit_notes SET total = 1", "DELETE FROM credit_notes", "DELETE FROM credit_note_lines", "UPDATE invoices SET credited = 0",
            ] {
                await #expect(throws: DatabaseError.self, "\(sql)") { try await database.write { db in try db.execute(sql: sql) } }
            }
        }
    }

    @Test func invoicesIssuedAtOnceTakeEveryNumberOnce() async throws {
        let (clinic, _) = try await Self.clinic()
        try await clinic.run { session in
            let (desk, manager) = (try await session.signIn(as: .staff), try await session.signIn(as: .manager))
            _ = try await Self.priceList(manager)
            let patient = try await session.patient(as: desk)
            var ids: [Int] = []
            for _ in 0..<12 {
                ids.append(
                    try #require(
                        try await desk.create("invoices", ["patient_id": patient, "branch": "main", "lines": [["service_code": "CONS"]]])["id"]
                            as? Int
                    )
                )
            }
            let numbers = try await withThrowingTaskGroup(of: String?.self) { group in
                for id in ids { group.addTask { try await desk.post("invoices/\(id)/issue", ["version": 1]).json["number"] as? String } }
                return try await group.reduce(into: [String]()) { if let number = $1 { $0.append(number) } }
            }
            let year = CalendarDate.today(in: TimeZone(identifier: "Europe/Berlin")!).year
            #expect(numbers.sorted() == (1...12).map { "INV-\(year)-" + String(format: "%06d", $0) })
        }
    }
}
