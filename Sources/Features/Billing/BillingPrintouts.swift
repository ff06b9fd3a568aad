import ClinicBoxCore
import GRDB
import Hummingbird

/// The paper billing hands out, each under the tenant's letterhead: an invoice and a credit note on the tenant's
/// sheets, a payment receipt on the receipt roll, and a patient's statement. Each is reached from a *Print* link
/// on its page and shows only what was recorded (see `printout`).
package struct BillingPrintouts {
    package let pages: ModulePages

    package func invoice(_: Request, _ context: PageRequestContext) async throws -> Response {
        let id = try context.recordID(entity: "invoice")
        let branches = context.user.branchFilter
        let view = try await context.storage.database().read { db in
            try InvoiceRecords.changes.requireVisible(db, id: id, branches: branches)
            return try InvoiceView(db, id: id, context: context)
        }
        return pages.printout(
            context,
            "invoice-print",
            title: view.title,
            paper: context.tenant.definition.printing.sheet,
            branch: view.branch,
            back: "\(context.basePath)/billing/invoices/\(id)",
            data: view.printData()
        )
    }

    package func creditNote(_: Request, _ context: PageRequestContext) async throws -> Response {
        let id = try context.recordID(entity: "credit note")
        let (branches, currency) = (context.user.branchFilter, context.tenant.definition.currency)
        let money = { @Sendable (amount: Int64) in Money.format(amount, currency: currency) }
        let (note, lines) = try await context.storage.database().read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT c.*, i.number AS invoice_number, i.branch, i.id AS invoice_id,
                        (SELECT first_name || ' ' || last_name || ' (' || number || ')' FROM patients WHERE id = i.patient_id) AS patient
                    FROM credit_notes c JOIN invoices i ON i.id = c.invoice_id WHERE c.id = ?
                    """,
                arguments: [id]
            )
            guard let row else { throw RecordChanges.notFound("credit note") }
            try InvoiceRecords.changes.requireVisible(db, id: row["invoice_id"], branches: branches)
            let note: [String: String] = [
                "number": row["number"], "day": ReadableTime.day(row["issued_on"] as String), "invoice": row["invoice_number"],
                "invoiceID": String(row["invoice_id"] as Int64), "branch": row["branch"], "patient": row["patient"] ?? "", "reason": row["reason"],
                "net": money(row["net"]), "tax": money(row["tax"]), "total": money(row["total"]),
            ]
            let lines = try Row.fetchAll(
                db,
                sql: """
                    SELECT l.position, l.description, l.quantity, c.total FROM credit_note_lines c
                    JOIN invoice_lines l ON l.id = c.invoice_line_id WHERE c.credit_note_id = ? ORDER BY l.position
                    """,
                arguments: [id]
            ).map { line in
                [
                    "position": String(line["position"] as Int64), "description": line["description"] as String,
                    "quantity": String(line["quantity"] as Int64), "total": money(line["total"]),
                ]
            }
            return (note, lines)
        }
        var data: [String: Any] = note.mapValues { $0 as Any }
        data["lines"] = lines
        return pages.printout(
            context,
            "credit-note-print",
            title: "Credit note \(note["number"] ?? "")",
            paper: context.tenant.definition.printing.sheet,
            branch: note["branch"],
            back: "\(context.basePath)/billing/invoices/\(note["invoiceID"] ?? "")",
            data: data
        )
    }

    /// A payment's receipt: what was paid, how, what it settled, what became credit on account, and its refunds.
    package func receipt(_: Request, _ context: PageRequestContext) async throws -> Response {
        let id = try context.recordID(entity: "payment")
        let (branches, tenant) = (context.user.branchFilter, context.tenant)
        let currency = tenant.definition.currency
        let money = { @Sendable (amount: Int64) in Money.format(amount, currency: currency) }
        let (payment, settled, refunds) = try await context.storage.database().read { db in
            try PaymentsAPI.requireVisible(db, payment: id, branches: branches)
            let row = try Row.fetchOne(db, sql: Payments.shownSQL, arguments: [id])!
            let payment: [String: String] = [
                "number": row["number"], "moment": tenant.readableTime.moment(row["created_at"]), "patient": row["patient"] ?? "",
                "branch": row["branch"],
                "method": Payments.methodText[row["method"] as String] ?? row["method"], "reference": row["reference"] ?? "",
                "amount": money(row["amount"]), "cashier": row["cashier"] ?? "",
                "credit": row["credit"] as Int64 > 0 ? money(row["credit"]) : "",
            ]
            let settled = try Row.fetchAll(
                db,
                sql:
                    "SELECT i.number, a.amount FROM payment_allocations a JOIN invoices i ON i.id = a.invoice_id WHERE a.payment_id = ? ORDER BY a.id",
                arguments: [id]
            ).map { ["label": "Invoice \($0["number"] as String)", "amount": money($0["amount"])] }
            let refunds = try Row.fetchAll(db, sql: "SELECT number, amount, reason FROM refunds WHERE payment_id = ? ORDER BY id", arguments: [id])
                .map { ["label": "Refund \($0["number"] as String): \($0["reason"] as String)", "amount": "− " + money($0["amount"])] }
            return (payment, settled, refunds)
        }
        var rows = settled
        let width = tenant.definition.printing.receiptWidth
        if let credit = payment["credit"], !credit.isEmpty { rows.append(["label": "Credit on account", "amount": credit]) }
        // A section shows for any string, even an empty one: what is not there is left out.
        var data: [String: Any] = payment.filter { !$0.value.isEmpty }
        data["settled"] = rows
        data["refunds"] = refunds
        return pages.printout(
            context,
            "receipt-print",
            title: "Receipt \(payment["number"] ?? "")",
            paper: .roll(width: width, lines: 4 + rows.count + refunds.reduce(0) { $0 + PaperSize.rollLines($1["label"] ?? "", width: width) }),
            branch: payment["branch"],
            back: "\(context.basePath)/billing/payments/\(id)",
            data: data
        )
    }

    /// A refund's slip on the receipt roll: what was paid back, how, why, against which receipt, by whom (and who
    /// approved it), with a line for the patient to sign that they received it.
    package func refund(_: Request, _ context: PageRequestContext) async throws -> Response {
        let id = try context.recordID(entity: "refund")
        let (branches, tenant) = (context.user.branchFilter, context.tenant)
        let currency = tenant.definition.currency
        let readable = tenant.readableTime
        let refund = try await context.storage.database().read { db -> [String: String] in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT r.*, p.number AS payment, (SELECT first_name || ' ' || last_name || ' (' || number || ')' FROM patients WHERE id = r.patient_id) AS patient,
                            (SELECT display_name FROM users WHERE id = r.refunded_by) AS cashier, (SELECT display_name FROM users WHERE id = r.approved_by) AS approver
                        FROM refunds r JOIN payments p ON p.id = r.payment_id WHERE r.id = ?
                        """,
                    arguments: [id]
                ), branches?.contains(row["branch"]) ?? true
            else { throw RecordChanges.notFound("refund") }
            var refund: [String: String] = [
                "number": row["number"], "moment": readable.moment(row["created_at"]), "patient": row["patient"] ?? "",
                "method": Payments.methodText[row["method"] as String] ?? row["method"], "amount": Money.format(row["amount"], currency: currency),
                "payment": row["payment"], "paymentID": String(row["payment_id"] as Int64), "reason": row["reason"], "branch": row["branch"],
            ]
            (refund["cashier"], refund["approver"]) = (row["cashier"], row["approver"])
            return refund
        }
        let data: [String: Any] = refund
        let width = tenant.definition.printing.receiptWidth
        return pages.printout(
            context,
            "refund-print",
            title: "Refund \(refund["number"] ?? "")",
            paper: .roll(width: width, lines: 9 + PaperSize.rollLines(refund["reason"] ?? "", width: width)),
            branch: refund["branch"],
            back: "\(context.basePath)/billing/payments/\(refund["paymentID"] ?? "")",
            data: data
        )
    }

    package func statement(_: Request, _ context: PageRequestContext) async throws -> Response {
        let id = try context.recordID(entity: "patient")
        let (branches, tenant) = (context.user.branchFilter, context.tenant)
        let currency = tenant.definition.currency
        let money = { @Sendable (amount: Int64) in Money.format(amount, currency: currency) }
        let (statement, patient) = try await context.storage.database().read { db in
            try PaymentsAPI.requirePatient(db, id)
            let patient = try Row.fetchOne(db, sql: "SELECT number, first_name, last_name FROM patients WHERE id = ?", arguments: [id])!
            let name: [String: String] = [
                "patient": "\(patient["first_name"] as String) \(patient["last_name"] as String)", "patientNumber": patient["number"],
            ]
            return (try PatientStatement.read(db, patient: id, branches: branches), name)
        }
        let account = statement.account
        var data: [String: Any] = [
            "patient": patient["patient"] ?? "", "patientNumber": patient["patientNumber"] ?? "",
            "day": ReadableTime.day(CalendarDate.today(in: tenant.timeZone)),
            "entries": statement.entries.map { entry in
                [
                    "day": ReadableTime.day(entry.day), "number": entry.number, "description": entry.description,
                    "charged": entry.amount > 0 ? money(entry.amount) : "", "paid": entry.amount < 0 ? money(-entry.amount) : "",
                    "balance": money(entry.balance),
                ]
            },
            "hasEntries": !statement.entries.isEmpty,
            "balance": account.balance >= 0 ? money(account.balance) : "\(money(-account.balance)) in credit", "due": money(account.due),
        ]
        if account.credit > 0 { data["credit"] = money(account.credit) }
        return pages.printout(
            context,
            "statement-print",
            title: "Statement",
            paper: tenant.definition.printing.sheet,
            branch: context.user.branches.count == 1 ? context.user.branches.first : nil,
            back: "\(context.basePath)/billing/patients/\(id)/statement",
            data: data
        )
    }
}
