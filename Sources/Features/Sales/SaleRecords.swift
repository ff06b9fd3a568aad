import ClinicBoxCore
import Clinical
import GRDB
import Inventory
import Patients
import Prescriptions

/// Ringing up a sale, shared by the JSON API and the till page. Takes the stock (first expiry first), prices it,
/// applies discount and tax, checks the payments, and records everything in the caller's transaction: a sale that
/// cannot be completed leaves stock exactly as it was.
package enum SaleRecords {
    /// Records the sale and returns its id. `allergyDecision`: whether the seller may go ahead despite an allergy of
    /// the patient of a prescription sold against, and whom to ask if not.
    package static func create(
        _ db: Database,
        _ form: SaleForm,
        terms: SaleTerms
    ) throws -> Int64 {
        let (actor, tax, currency, today, timeZone) = (terms.actor, terms.tax, terms.currency, terms.today, terms.timeZone)
        let (checksPrescriptions, allergyDecision) = (terms.checksPrescriptions, terms.allergyDecision)
        let next = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) + 1 FROM sales") ?? 1
        let number = "S-" + String(next).leftPadded(to: 6)
        let products = try form.items.enumerated().map { index, item in try product(db, item, index: index, tax: tax) }
        let cover = try SalePrescriptionCover.decide(db, form, products: products, prescriptionsEnabled: checksPrescriptions, actor: actor)
        // A sale against one of the clinic's prescriptions dispenses it (the same path as the prescription page);
        // any other sale takes the stock as a sale.
        let taken: [[StockLedger.Taken]]
        var patientID = form.patientID
        if case .prescription(let id, _, let patient, let dispensed) = cover {
            let order = PrescriptionDispensing.Order(
                prescription: id,
                branch: form.branch,
                lines: dispensed,
                sale: number,
                allergyOverride: form.allergyOverride,
                allergyDecision: allergyDecision,
                earlyRepeatReason: form.earlyRepeatReason
            )
            taken = try PrescriptionDispensing.record(db, order, actor: actor, today: today, timeZone: timeZone)
            patientID = patient
        } else {
            let ledger = StockLedger(db: db, actor: actor)
            taken = try products.map { product in
                try ledger.takeFirstExpiryFirst(
                    productID: product.id,
                    branch: form.branch,
                    quantity: product.quantity,
                    today: today,
                    kind: "sale",
                    reference: "sale:\(number)"
                )
            }
        }
        let lines = zip(products, taken).map { (product: $0, taken: $1) }
        let amounts = lines.map { line in (amount: line.taken.reduce(0) { $0 + $1.quantity * $1.sellingPrice }, taxRate: line.product.taxRate) }
        let subtotal = amounts.reduce(0) { $0 + $1.amount }
        guard form.discount <= subtotal else {
            throw Problem(
                .unprocessableContent,
                title: "Invalid fields",
                detail: "The discount is more than the sale.",
                fieldErrors: ["discount": "must not exceed the subtotal of \(Money.format(subtotal, currency: currency))"]
            )
        }
        let totals = Charges(sale: amounts, discount: form.discount, tax: tax)
        if let problem = totals.paymentProblem(form.payments, currency: currency) {
            throw Problem(
                .unprocessableContent,
                title: "Payments do not match",
                detail: "The payments \(problem).",
                fieldErrors: ["payments": problem]
            )
        }
        let paid = form.payments.reduce(0) { $0 + $1.amount }
        let now = Timestamp.now
        try db.execute(
            sql: """
                INSERT INTO sales (number, branch, sale_date, status, patient_id, prescription_id, prescription_reference, subtotal, discount, tax, total,
                    tax_rate_basis_points, prices_include_tax, paid, change_due, cashier_id, version, created_at, updated_at)
                VALUES (?, ?, ?, 'completed', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)
                """,
            arguments: [
                number, form.branch, today.description, patientID, form.prescriptionID, form.prescriptionReference, totals.subtotal, totals.discount,
                totals.tax, totals.total, tax.rateBasisPoints, tax.pricesIncludeTax, paid, paid - totals.total, actor.userID, now, now,
            ]
        )
        let saleID = db.lastInsertedRowID
        for (line, charged) in zip(lines, totals.lines) {
            let lineTotal = line.taken.reduce(0) { $0 + $1.quantity * $1.sellingPrice }
            try db.execute(
                sql: "INSERT INTO sale_items (sale_id, product_id, quantity, line_total, tax_class, tax_rate, tax) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [saleID, line.product.id, line.product.quantity, lineTotal, line.product.taxClass, line.product.taxRate, charged.tax]
            )
            let itemID = db.lastInsertedRowID
            for batch in line.taken {
                try db.execute(
                    sql: "INSERT INTO sale_item_batches (sale_item_id, batch_id, quantity, unit_price) VALUES (?, ?, ?, ?)",
                    arguments: [itemID, batch.batchID, batch.quantity, batch.sellingPrice]
                )
            }
        }
        for payment in form.payments {
            try db.execute(
                sql: "INSERT INTO sale_payments (sale_id, method, amount, reference) VALUES (?, ?, ?, ?)",
                arguments: [saleID, payment.method, payment.amount, payment.reference]
            )
        }
        var changes: [String: AuditChange] = ["number": .init(before: nil, after: number), "total": .init(before: nil, after: String(totals.total))]
        if let reference = form.prescriptionReference { changes["prescription_reference"] = .init(before: nil, after: reference) }
        if case .prescription(_, let prescription, _, _) = cover { changes["prescription"] = .init(before: nil, after: prescription) }
        try AuditLog.record(db, actor: actor, action: "sales.create", entityType: "sale", entityID: String(saleID), changes: changes)
        if case .paper(let reference, let controlled) = cover, !controlled.isEmpty {
            try AuditLog.record(
                db,
                actor: actor,
                action: "sales.controlled_paper_prescription",
                entityType: "sale",
                entityID: String(saleID),
                changes: [
                    "prescription_reference": .init(before: nil, after: reference),
                    "controlled": .init(before: nil, after: controlled.joined(separator: ", ")),
                ]
            )
        }
        return saleID
    }

    /// The product of a sale line, by id or scanned SKU; unknown or inactive products are field errors.
    private static func product(
        _ db: Database,
        _ item: SaleForm.Item,
        index: Int,
        tax: TenantDefinition.Tax
    ) throws
        -> SalePrescriptionCover.Product
    {
        let columns = "id, name, generic_name, requires_prescription, controlled, active, tax_class"
        let row =
            if let id = item.productID {
                try Row.fetchOne(db, sql: "SELECT \(columns) FROM products WHERE id = ?", arguments: [id])
            } else {
                try Row.fetchOne(db, sql: "SELECT \(columns) FROM products WHERE sku = ?", arguments: [item.sku])
            }
        let field = item.productID == nil ? "items[\(index)].sku" : "items[\(index)].product_id"
        guard let row, row["active"] as Bool else {
            throw Problem.invalid(field, "is not a product on sale here")
        }
        let taxClass = row["tax_class"] as String? ?? tax.defaultClass
        guard let rate = tax.classes[taxClass] else {
            throw Problem.invalid(field, "its tax class '\(taxClass)' is no longer in the tenant file; a manager changes the product first")
        }
        return .init(
            id: row["id"],
            name: row["name"],
            genericName: row["generic_name"],
            requiresPrescription: row["requires_prescription"],
            controlled: row["controlled"],
            quantity: item.quantity,
            taxClass: taxClass,
            taxRate: rate
        )
    }
}
