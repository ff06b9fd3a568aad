import ClinicBoxCore
import GRDB
import Hummingbird

/// `/api/v1/invoices` and `/api/v1/credit-notes`: drafts made and changed whole, issued with a number, cancelled
/// line by line with credit notes. Every read keeps to the user's branches.
package struct InvoicesAPI {
    package static let sorting = ListPage.Sorting([.init(name: "id", column: "id")], default: "-id")
    package static let statuses = ["draft", "issued", "part_paid", "paid", "credited"]

    /// `?status=`, `?patient_id=`, `?branch=`, `?number=`.
    package func list(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let query = ListQuery(request)
        let (status, patient, number) = (query.choice("status"), query.id("patient_id"), query.text("number"))
        try query.finish()
        let page = try ListPage(request, sorting: Self.sorting)
        var conditions = try await context.branchConditions(request, column: "invoices.branch")
        if let status { conditions.add("invoices.status = ?", [status]) }
        if let patient { conditions.add("invoices.patient_id = ?", [patient]) }
        if let number { conditions.add("invoices.number = ? COLLATE NOCASE", [number]) }
        return try await page.fetch(context.storage.database(), item: InvoiceJSON.summary, from: "invoices", conditions: conditions)
    }

    package func show(_: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id = try context.recordID()
        let branches = context.user.branchFilter
        let json = try await context.storage.database().read { db in
            try InvoiceRecords.changes.requireVisible(db, id: id, branches: branches)
            return try SQLJSON.fetch(db, InvoiceJSON.full, from: "invoices", id: id, entity: "invoice")
        }
        return .json(bytes: ByteBuffer(string: json))
    }

    package func create(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        var fields = try await RequestFields.read(request, allowed: InvoiceDraft.fields)
        let draft = InvoiceDraft.read(&fields)
        if draft.patientID == nil { fields.fail("patient_id", "is required") }
        if draft.lines == nil { fields.fail("lines", "is required") }
        let branch = fields.billingBranch(context, for: "the invoice is for")
        try fields.finish()
        try await context.requireBranch(branch)
        let terms = BillingTerms(context)
        return try await Idempotency.write(request, context, fields: fields) { db in
            let id = try InvoiceRecords.create(db, draft, branch: branch, terms: terms)
            return .init(status: .created, json: try SQLJSON.fetch(db, InvoiceJSON.full, from: "invoices", id: id, entity: "invoice"))
        }
    }

    package func update(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id = try context.recordID()
        var fields = try await RequestFields.read(request, allowed: InvoiceDraft.fields.subtracting(["patient_id", "branch"]).union(["version"]))
        let version = fields.integer("version", in: 1...Int64.max, required: true) ?? 0
        let draft = InvoiceDraft.read(&fields)
        try fields.finish()
        let (terms, branches) = (BillingTerms(context), context.user.branchFilter)
        let json = try await context.storage.database().write { db in
            try InvoiceRecords.changes.requireVisible(db, id: id, branches: branches)
            try InvoiceRecords.update(db, id: id, version: version, draft, terms: terms)
            return try SQLJSON.fetch(db, InvoiceJSON.full, from: "invoices", id: id, entity: "invoice")
        }
        return .json(bytes: ByteBuffer(string: json))
    }

    package func issue(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id = try context.recordID()
        var fields = try await RequestFields.read(request, allowed: ["version"])
        let version = fields.integer("version", in: 1...Int64.max, required: true) ?? 0
        try fields.finish()
        let (terms, branches) = (BillingTerms(context), context.user.branchFilter)
        let json = try await context.storage.database().write { db in
            try InvoiceRecords.changes.requireVisible(db, id: id, branches: branches)
            _ = try InvoiceRecords.issue(db, id: id, version: version, terms: terms)
            return try SQLJSON.fetch(db, InvoiceJSON.full, from: "invoices", id: id, entity: "invoice")
        }
        return .json(bytes: ByteBuffer(string: json))
    }

    /// `{"reason": …, "lines": [line ids]}`; without `lines`, every line not yet credited.
    package func credit(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id = try context.recordID()
        var fields = try await RequestFields.read(request, allowed: ["reason", "lines"])
        let reason = fields.text("reason", required: true, maxLength: 500) ?? ""
        let lines = fields.has("lines") ? fields.ids("lines") : nil
        try fields.finish()
        let (terms, branches) = (BillingTerms(context), context.user.branchFilter)
        return try await Idempotency.write(request, context, fields: fields) { db in
            try InvoiceRecords.changes.requireVisible(db, id: id, branches: branches)
            let creditID = try CreditNotes.issue(db, invoice: id, lineIDs: lines, reason: reason, terms: terms)
            return .init(
                status: .created,
                json: try SQLJSON.fetch(db, InvoiceJSON.creditNote, from: "credit_notes", id: creditID, entity: "credit note")
            )
        }
    }

    package func showCreditNote(_: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id = try context.recordID()
        let branches = context.user.branchFilter
        let json = try await context.storage.database().read { db in
            let invoice = try Int64.fetchOne(db, sql: "SELECT invoice_id FROM credit_notes WHERE id = ?", arguments: [id])
            guard let invoice else { throw RecordChanges.notFound("credit note") }
            try InvoiceRecords.changes.requireVisible(db, id: invoice, branches: branches)
            return try SQLJSON.fetch(db, InvoiceJSON.creditNote, from: "credit_notes", id: id, entity: "credit note")
        }
        return .json(bytes: ByteBuffer(string: json))
    }
}
