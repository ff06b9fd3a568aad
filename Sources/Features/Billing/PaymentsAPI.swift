import ClinicBoxCore
import GRDB
import Hummingbird

/// `/api/v1/payments`: money taken against a patient's invoices (the rest is credit on account), refunds against a
/// payment, and credit on account used on an invoice. `Idempotency-Key` makes a retried payment or refund count once.
package struct PaymentsAPI {
    package static let sorting = ListPage.Sorting([.init(name: "id", column: "id")], default: "-id")

    package func list(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let query = ListQuery(request)
        let patient = query.id("patient_id")
        try query.finish()
        let page = try ListPage(request, sorting: Self.sorting)
        var conditions = try await context.branchConditions(request, column: "payments.branch")
        if let patient { conditions.add("payments.patient_id = ?", [patient]) }
        return try await page.fetch(context.storage.database(), item: InvoiceJSON.payment, from: "payments", conditions: conditions)
    }

    package func show(_: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id = try context.recordID()
        let branches = context.user.branchFilter
        let json = try await context.storage.database().read { db in
            try Self.requireVisible(db, payment: id, branches: branches)
            return try SQLJSON.fetch(db, InvoiceJSON.payment, from: "payments", id: id, entity: "payment")
        }
        return .json(bytes: ByteBuffer(string: json))
    }

    package func take(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        var fields = try await RequestFields.read(request, allowed: ["patient_id", "branch", "method", "amount", "reference", "invoices"])
        let patient = fields.integer("patient_id", in: 1...Int64.max, required: true)
        let method = fields.choice("method", Payments.methods, required: true)
        let amount = fields.integer("amount", in: 1...1_000_000_000_000, required: true)
        var reference = fields.text("reference", maxLength: 40)
        if method == "mobile_money" {
            if let typed = reference {
                reference = Payments.mobileMoneyReference(typed)
                if reference == nil { fields.fail("reference", Payments.referenceShape) }
            } else {
                fields.fail("reference", "is required for mobile money: the transaction code of the message")
            }
        }
        let invoices = fields.has("invoices") ? fields.ids("invoices") : nil
        let branch = fields.billingBranch(context, for: "the money is taken in")
        try fields.finish()
        try await context.requireBranch(branch)
        guard let patient, let method, let amount else { return Response(status: .unprocessableContent) }
        let taking = Payments.Taking(patientID: patient, branch: branch, method: method, amount: amount, reference: reference, invoiceIDs: invoices)
        let (terms, branches) = (BillingTerms(context), context.user.branchFilter)
        return try await Idempotency.write(request, context, fields: fields) { db in
            try Self.requirePatient(db, patient)
            let id = try Payments.take(db, taking, branches: branches, terms: terms)
            return .init(status: .created, json: try SQLJSON.fetch(db, InvoiceJSON.payment, from: "payments", id: id, entity: "payment"))
        }
    }

    package func refund(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id = try context.recordID()
        var fields = try await RequestFields.read(request, allowed: ["amount", "method", "reason"])
        let amount = fields.integer("amount", in: 1...1_000_000_000_000, required: true) ?? 0
        let method = fields.choice("method", Payments.refundMethods, required: true) ?? ""
        let reason = fields.text("reason", required: true, maxLength: 500) ?? ""
        try fields.finish()
        let (terms, branches) = (BillingTerms(context), context.user.branchFilter)
        return try await Idempotency.write(request, context, fields: fields) { db in
            try Self.requireVisible(db, payment: id, branches: branches)
            let refund = try Payments.refund(db, payment: id, amount: amount, method: method, reason: reason, terms: terms)
            return .init(status: .created, json: try SQLJSON.fetch(db, InvoiceJSON.refund, from: "refunds", id: refund, entity: "refund"))
        }
    }

    /// `POST /api/v1/invoices/{id}/credit`: settles the invoice from the patient's credit on account.
    package func applyCredit(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id = try context.recordID()
        var fields = try await RequestFields.read(request, allowed: ["amount"])
        let amount = fields.integer("amount", in: 1...1_000_000_000_000)
        try fields.finish()
        let (terms, branches) = (BillingTerms(context), context.user.branchFilter)
        return try await Idempotency.write(request, context, fields: fields) { db in
            try InvoiceRecords.changes.requireVisible(db, id: id, branches: branches)
            try Payments.applyCredit(db, invoice: id, amount: amount, terms: terms)
            return .init(status: .ok, json: try SQLJSON.fetch(db, InvoiceJSON.full, from: "invoices", id: id, entity: "invoice"))
        }
    }

    static func requireVisible(_ db: Database, payment id: Int64, branches: [String]?) throws {
        guard let branch = try String.fetchOne(db, sql: "SELECT branch FROM payments WHERE id = ?", arguments: [id]),
            branches?.contains(branch) ?? true
        else { throw RecordChanges.notFound("payment") }
    }

    static func requirePatient(_ db: Database, _ id: Int64) throws {
        guard try Int.fetchOne(db, sql: "SELECT count(*) FROM patients WHERE id = ? AND merged_into IS NULL", arguments: [id]) == 1 else {
            throw Problem.invalid("patient_id", "is not a patient here")
        }
    }
}
