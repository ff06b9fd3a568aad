import GRDB

/// Writing prescriptions, shared by the JSON API and the pages. Items are fixed once written; a prescription is
/// numbered `RX-000001` and carries its prescriber's name as it was when written.
enum PrescriptionRecords {
    static let changes = RecordChanges(table: "prescriptions", entity: "prescription")

    static func create(
        _ db: Database, patientID: Int64, date: CalendarDate, notes: String?, items: [PrescriptionRoutes.Item], allergyOverride: String? = nil,
        user: AuthenticatedUser, actor: AuditActor
    ) throws -> Int64 {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM patients WHERE id = ?", arguments: [patientID]) != nil else {
            throw Problem(.unprocessableContent, title: "Invalid fields", detail: "Check patient_id.", fieldErrors: ["patient_id": "is not a patient of this tenant"])
        }
        let prescriber = try String.fetchOne(db, sql: "SELECT display_name FROM users WHERE id = ?", arguments: [user.id]) ?? user.email
        let drugs = try items.map { item in try drug(db, medicine: item.medicine, product: item.productID) }
        let overridden = try AllergyCheck.enforce(db, patient: patientID, drugs: drugs, overrideReason: allergyOverride, doing: "written")
        let next = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) + 1 FROM prescriptions") ?? 1
        let id = try changes.insert(
            db,
            [
                ("number", ("RX-" + String(next).leftPadded(to: 6)).databaseValue), ("patient_id", patientID.databaseValue),
                ("prescriber_id", user.id.databaseValue), ("prescriber_name", prescriber.databaseValue),
                ("prescribed_on", date.description.databaseValue), ("status", "pending".databaseValue), ("notes", notes.databaseValue),
                ("allergy_override_reason", (overridden.isEmpty ? nil : allergyOverride).databaseValue),
                ("allergy_override_by", (overridden.isEmpty ? nil : prescriber).databaseValue),
            ],
            actor: actor, action: "prescriptions.create"
        )
        try AllergyCheck.recordOverride(db, overridden, reason: allergyOverride, actor: actor, entity: "prescription", id: id)
        for item in items {
            try db.execute(
                sql: "INSERT INTO prescription_items (prescription_id, medicine, strength, dose, quantity, repeats, product_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [id, item.medicine, item.strength, item.dose, item.quantity, item.repeats, item.productID]
            )
        }
        return id
    }

    /// A medicine as the allergy check reads it: its written name, and the product's names when it names one.
    static func drug(_ db: Database, medicine: String, product: Int64?) throws -> AllergyCheck.Drug {
        var names = [medicine]
        if let product, try db.tableExists("products"),
            let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT name, generic_name FROM products WHERE id = ?"), arguments: [product])
        {
            names += [row["name"], row["generic_name"]].compactMap { $0 }
        }
        return AllergyCheck.Drug(label: medicine, names: names)
    }
}
