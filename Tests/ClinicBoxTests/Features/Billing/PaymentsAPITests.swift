import ClinicBox
import ClinicBoxCore
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Money through the real stack: partial and split payments, mobile money codes taken once, retries that pay
/// once, over-payment kept as credit on account and used on the next invoice, a credit note turning paid money
/// into credit, refunds as documents of their own, and the statement adding it all up.
@Suite struct PaymentsAPITests {
    @Test func aPatientPaysInPartsOverpaysUsesTheCreditAndIsRefundedByAManager() async throws {
        let (clinic, database) = try await InvoicesAPITests.clinic()
        try await clinic.run { session in
            let (desk, manager) = (try await session.signIn(as: .staff), try await session.signIn(as: .manager))
            let xray = try await InvoicesAPITests.priceList(manager)
            let patient = try await session.patient(as: desk)
            func issue(_ lines: [[String: Any]]) async throws -> [String: Any] {
                let draft = try await desk.create("invoices", ["patient_id": patient, "branch": "main", "lines": lines])
                return try await desk.post("invoices/\(draft["id"] as! Int)/issue", ["version": 1]).json
            }
            let first = try await issue([["service_code": "CONS"], ["service_id": xray]])
            let firstID = try #require(first["id"] as? Int)
            #expect(first["total"] as? Int == 7_140)

            // M-Pesa, part of it; the code is kept in capitals and taken once.
            let mpesa = try await desk.create(
                "payments",
                [
                    "patient_id": patient, "branch": "main", "method": "mobile_money", "amount": 3_000, "reference": "qgh7 xk2l9p",
                    "invoices": [firstID],
                ]
            )
            #expect(mpesa["reference"] as? String == "QGH7XK2L9P" && (mpesa["settled"] as? [[String: Any]])?.first?["amount"] as? Int == 3_000)
            let again = try await desk.post(
                "payments",
                ["patient_id": patient, "branch": "main", "method": "mobile_money", "amount": 10, "reference": "QGH7XK2L9P"]
            )
            #expect(again.status == .conflict && again.fieldErrors["reference"] == "was already used for payment \(mpesa["number"] as! String)")
            let garbled = try await desk.post(
                "payments",
                ["patient_id": patient, "branch": "main", "method": "mobile_money", "amount": 10, "reference": "12"]
            )
            #expect(
                garbled.status == .unprocessableContent
                    && garbled.fieldErrors["reference"]?.hasPrefix("must be the transaction code of the mobile money message") == true
            )
            #expect(try await desk.get("invoices/\(firstID)").json["status"] as? String == "part_paid")

            // Cash for the rest and a little more, sent twice with one Idempotency-Key: paid once.
            let cash: [String: Any] = ["patient_id": patient, "branch": "main", "method": "cash", "amount": 4_200]
            let sent = try await desk.post("payments", cash, headers: ["Idempotency-Key": "till-7-payment-2"])
            let resent = try await desk.post("payments", cash, headers: ["Idempotency-Key": "till-7-payment-2"])
            #expect(sent.status == .created && resent.json["number"] as? String == sent.json["number"] as? String)
            let paidFirst = try await desk.get("invoices/\(firstID)").json
            #expect(paidFirst["status"] as? String == "paid" && paidFirst["balance"] as? Int == 0)
            var statement = try await desk.get("patients/\(patient)/statement").json
            #expect(statement["balance"] as? Int == -60 && statement["credit"] as? Int == 60)

            // The credit settles part of the next invoice.
            let second = try await issue([["service_code": "CONS"]])
            let used = try await desk.post("invoices/\(second["id"] as! Int)/use-credit", [:])
            #expect(
                used.status == .ok && used.json["paid"] as? Int == 60 && used.json["balance"] as? Int == 2_440
                    && used.json["status"] as? String == "part_paid"
            )

            // A consultation that was not held is credited: the money paid for it is the patient's again.
            let consultation = try #require((first["lines"] as? [[String: Any]])?.first?["id"] as? Int)
            _ = try await manager.create("invoices/\(firstID)/credit-notes", ["reason": "Consultation not held", "lines": [consultation]])
            statement = try await desk.get("patients/\(patient)/statement").json
            #expect(statement["balance"] as? Int == -60 && statement["due"] as? Int == 2_440 && statement["credit"] as? Int == 2_500)

            // Refunds: from credit only, by a manager here (no refund_limit in the tenant file), each numbered.
            let cashID = try #require(sent.json["id"] as? Int)
            let refused = try await desk.post("payments/\(cashID)/refunds", ["amount": 1_000, "method": "cash", "reason": "not held"])
            #expect(refused.status == .forbidden && refused.fieldErrors["amount"] == "a refund of any amount needs a manager")
            let refund = try await manager.create(
                "payments/\(cashID)/refunds",
                ["amount": 1_000, "method": "cash", "reason": "Consultation not held"]
            )
            let year = CalendarDate.today(in: TimeZone(identifier: "Europe/Berlin")!).year
            #expect(refund["number"] as? String == "RF-\(year)-000001" && refund["payment_number"] as? String == sent.json["number"] as? String)
            let tooMuch = try await manager.post(
                "payments/\(mpesa["id"] as! Int)/refunds",
                ["amount": 2_000, "method": "mobile_money", "reason": "x"]
            )
            #expect(tooMuch.status == .conflict && tooMuch.fieldErrors["amount"] == "is more than the patient's credit on account (EUR 15.00)")

            statement = try await desk.get("patients/\(patient)/statement").json
            let entries = try #require(statement["entries"] as? [[String: Any]])
            #expect(entries.map { $0["kind"] as? String } == ["invoice", "payment", "payment", "invoice", "credit_note", "refund"])
            #expect(entries.map { $0["amount"] as? Int } == [7_140, -3_000, -4_200, 2_500, -2_500, 1_000])
            #expect(entries.last?["balance"] as? Int == 940 && statement["balance"] as? Int == 940 && statement["credit"] as? Int == 1_500)

            // The reports: what was taken per method and cashier, and what is still owed by age.
            let takings = try #require(try await manager.get("reports/takings").json["rows"] as? [[String: Any]])
            #expect(takings.reduce(0) { $0 + ($1["net"] as? Int ?? 0) } == 6_200)
            #expect(
                takings.contains { $0["method"] as? String == "mobile_money" && $0["taken"] as? Int == 3_000 && $0["cashier"] as? String == "Staff" }
            )
            #expect(
                takings.contains { $0["method"] as? String == "cash" && $0["refunded"] as? Int == 1_000 && $0["cashier"] as? String == "Manager" }
            )
            let owed = try #require(try await manager.get("reports/outstanding-invoices").json["rows"] as? [[String: Any]])
            #expect(owed.map { $0["invoice"] as? String } == [second["number"] as? String] && owed.first?["0_30"] as? Int == 2_440)
            #expect(owed.first?["days"] as? Int == 0 && owed.first?["over_90"] as? Int == 0)
            let csv = try await manager.get("reports/outstanding-invoices?format=csv").text
            #expect(
                csv.hasPrefix("invoice,patient,issued_on,days,0_30,31_60,61_90,over_90,currency\r\n") && csv.contains(",24.40,0.00,0.00,0.00,EUR")
            )

            for sql in ["UPDATE payments SET amount = 1", "DELETE FROM payments", "UPDATE payment_allocations SET amount = 1", "DELETE FROM refunds"]
            {
                await #expect(throws: DatabaseError.self, "\(sql)") { try await database.write { db in try db.execute(sql: sql) } }
            }
        }
    }

    @Test func twoTillsTakingTheSameMobileMoneyCodeAtOnceTakeItOnce() async throws {
        let (clinic, _) = try await InvoicesAPITests.clinic()
        try await clinic.run { session in
            let desk = try await session.signIn(as: .staff)
            let patient = try await session.patient(as: desk)
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        try await desk.post(
                            "payments",
                            ["patient_id": patient, "branch": "main", "method": "mobile_money", "amount": 500, "reference": "RKT4ZP81QX"]
                        ).status
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 1 && statuses.filter { $0 == .conflict }.count == 5)
            #expect(try await desk.get("patients/\(patient)/statement").json["credit"] as? Int == 500)
        }
    }
}
