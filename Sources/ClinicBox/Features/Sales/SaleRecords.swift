import GRDB

/// Ringing up a sale, shared by the JSON API and the till page. Takes the stock (first expiry first), prices it,
/// applies discount and tax, checks the payments, and records everything in the caller's transaction: a sale that
/// cannot be completed leaves stock exactly as it was.
enum SaleRecords {
    /// Records the sale and returns its id.
    static func create(
        _ db: Database, _ form: SaleForm, actor: AuditActor, tax: TenantDefinition.Tax, today: CalendarDate, checksPrescriptions: Bool
    ) throws -> Int64 {
        let next = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) + 1 FROM sales") ?? 1
        let number = "S-" + String(next).leftPadded(to: 6)
        let ledger = StockLedger(db: db, actor: actor)
        var lines: [(productID: Int64, quantity: Int64, taken: [StockLedger.Taken])] = []
        var needsPrescription: [String] = []
        for (index, item) in form.items.enumerated() {
            let product = try product(db, item, index: index)
            if product["requires_prescription"] as Bool { needsPrescription.append(product["name"]) }
            let taken = try ledger.takeFirstExpiryFirst(
                productID: product["id"], branch: form.branch, quantity: item.quantity, today: today, kind: "sale", reference: "sale:\(number)"
            )
            lines.append((product["id"], item.quantity, taken))
        }
        if !needsPrescription.isEmpty {
            try requirePrescription(db, form, checkingPrescriptions: checksPrescriptions, products: needsPrescription)
        }
        let subtotal = lines.reduce(0) { sum, line in sum + line.taken.reduce(0) { $0 + $1.quantity * $1.sellingPrice } }
        guard form.discount <= subtotal else {
            throw Problem(.unprocessableContent, title: "Invalid fields", detail: "The discount is more than the sale.", fieldErrors: ["discount": "must not exceed the subtotal of \(subtotal)"])
        }
        let totals = SaleTotals(subtotal: subtotal, discount: form.discount, tax: tax)
        if let problem = totals.paymentProblem(form.payments) {
            throw Problem(.unprocessableContent, title: "Payments do not match", detail: "The payments \(problem).", fieldErrors: ["payments": problem])
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
                number, form.branch, today.description, form.patientID, form.prescriptionID, form.prescriptionReference, totals.subtotal, totals.discount,
                totals.tax, totals.total, tax.rateBasisPoints, tax.pricesIncludeTax, paid, paid - totals.total, actor.userID, now, now,
            ]
        )
        let saleID = db.lastInsertedRowID
        for line in lines {
            let lineTotal = line.taken.reduce(0) { $0 + $1.quantity * $1.sellingPrice }
            try db.execute(
                sql: "INSERT INTO sale_items (sale_id, product_id, quantity, line_total) VALUES (?, ?, ?, ?)",
                arguments: [saleID, line.productID, line.quantity, lineTotal]
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
        try AuditLog.record(
            db, actor: actor, action: "sales.create", entityType: "sale", entityID: String(saleID),
            changes: ["number": .init(before: nil, after: number), "total": .init(before: nil, after: String(totals.total))]
        )
        return saleID
    }

    /// The product of a sale line, by id or scanned SKU; unknown or inactive products are field errors.
    private static func product(_ db: Database, _ item: SaleForm.Item, index: Int) throws -> Row {
        let row =
            if let id = item.productID {
                try Row.fetchOne(db, sql: "SELECT id, name, requires_prescription, active FROM products WHERE id = ?", arguments: [id])
            } else {
                try Row.fetchOne(db, sql: "SELECT id, name, requires_prescription, active FROM products WHERE sku = ?", arguments: [item.sku])
            }
        let field = item.productID == nil ? "items[\(index)].sku" : "items[\(index)].product_id"
        guard let row, row["active"] as Bool else {
            throw Problem(.unprocessableContent, title: "Invalid fields", detail: "Check \(field).", fieldErrors: [field: "is not a product on sale here"])
        }
        return row
    }

    /// Prescription-only products need a prescription: one in this tenant's prescriptions module (when it has it,
    /// and not cancelled), or the reference of a paper prescription.
    private static func requirePrescription(_ db: Database, _ form: SaleForm, checkingPrescriptions: Bool, products: [String]) throws {
        let names = products.joined(separator: ", ")
        if let id = form.prescriptionID, checkingPrescriptions {
            let status = try String.fetchOne(db, sql: "SELECT status FROM prescriptions WHERE id = ?", arguments: [id])
            guard let status, status != "cancelled" else {
                throw Problem(.unprocessableContent, title: "Invalid fields", detail: "Check prescription_id.", fieldErrors: ["prescription_id": "is not a valid prescription"])
            }
            return
        }
        guard form.prescriptionReference != nil || (form.prescriptionID != nil && !checkingPrescriptions) else {
            throw Problem(
                .unprocessableContent, title: "Prescription required", detail: "\(names) can only be sold against a prescription.",
                fieldErrors: [(checkingPrescriptions ? "prescription_id" : "prescription_reference"): "is required for \(names)"]
            )
        }
    }
}
