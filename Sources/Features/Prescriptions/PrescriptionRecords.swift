import ClinicBoxCore
import Clinical
import GRDB
import Inventory
import Patients

/// Writing prescriptions, shared by the JSON API and the pages. Items are fixed once written; a prescription is
/// numbered `RX-000001` and carries its prescriber's name as it was when written.
package enum PrescriptionRecords {
    package static let changes = RecordChanges(table: "prescriptions", entity: "prescription")

    /// A prescriber outside the tenant, whose prescription a pharmacy receives and enters.
    package struct OutsidePrescriber: Sendable {
        package var name: String
        package var registration: String
        package var practice: String?
    }

    package static func create(
        _ db: Database,
        patientID: Int64,
        date: CalendarDate,
        notes: String?,
        items: [PrescriptionsAPI.Item],
        allergyOverride: String? = nil,
        outside: OutsidePrescriber? = nil,
        visitID: Int64? = nil,
        user: AuthenticatedUser,
        actor: AuditActor
    ) throws -> Int64 {
        try PatientFiling.require(db, patient: patientID)
        if let visitID { try checkVisit(db, visitID, patient: patientID, branches: user.branchFilter) }
        let writer = try Row.fetchOne(db, sql: "SELECT display_name, registration_number FROM users WHERE id = ?", arguments: [user.id])
        let userName = writer?["display_name"] as String? ?? user.email
        // Written here, the user is the prescriber (with their registration number as it is today); brought in, the
        // outside prescriber is, and the user entered it.
        let prescriber = outside?.name ?? userName
        let registration: String? = outside?.registration ?? writer?["registration_number"]
        let drugs = try items.map { item in try drug(db, medicine: item.medicine, product: item.productID) }
        let overridden = try AllergyCheck.enforce(db, patient: patientID, drugs: drugs, overrideReason: allergyOverride, doing: "written")
        let next = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) + 1 FROM prescriptions") ?? 1
        let id = try changes.insert(
            db,
            [
                ("number", ("RX-" + String(next).leftPadded(to: 6)).databaseValue), ("patient_id", patientID.databaseValue),
                ("prescriber_id", (outside == nil ? user.id : nil).databaseValue), ("prescriber_name", prescriber.databaseValue),
                ("prescriber_registration", registration.databaseValue),
                ("prescriber_practice", outside?.practice.databaseValue ?? .null),
                ("entered_by_name", (outside == nil ? nil : userName).databaseValue), ("visit_id", visitID.databaseValue),
                ("prescribed_on", date.description.databaseValue), ("status", "pending".databaseValue), ("notes", notes.databaseValue),
                ("allergy_override_reason", (overridden.isEmpty ? nil : allergyOverride).databaseValue),
                ("allergy_override_by", (overridden.isEmpty ? nil : userName).databaseValue),
            ],
            actor: actor,
            action: "prescriptions.create"
        )
        try AllergyCheck.recordOverride(db, overridden, reason: allergyOverride, actor: actor, entity: "prescription", id: id)
        for item in items {
            try db.execute(
                sql:
                    """
                    INSERT INTO prescription_items (prescription_id, medicine, strength, dose, route, frequency, duration, quantity, repeats, product_id,
                        repeat_interval_days)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    id, item.medicine, item.strength, item.dose, item.route, item.frequency, item.duration, item.quantity, item.repeats,
                    item.productID,
                    item.repeatInterval,
                ]
            )
        }
        return id
    }

    /// A prescription written at a visit names a visit of the same patient that the writer can see; any other
    /// number reads the same, so nobody learns which visits exist.
    private static func checkVisit(_ db: Database, _ visit: Int64, patient: Int64, branches: [String]?) throws {
        let row =
            try db.tableExists("visits") ? try Row.fetchOne(db, sql: "SELECT patient_id, branch FROM visits WHERE id = ?", arguments: [visit]) : nil
        guard let row, row["patient_id"] == patient, branches?.contains(row["branch"]) ?? true else {
            throw Problem.invalid("visit_id", "is not one of this patient's visits that you can see")
        }
    }

    /// A medicine as the allergy check reads it: its written name, and the product's names when it names one.
    package static func drug(_ db: Database, medicine: String, product: Int64?) throws -> AllergyCheck.Drug {
        var names = [medicine]
        if let product, try db.tableExists("products"),
            let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT name, generic_name FROM products WHERE id = ?"), arguments: [product])
        {
            names += [row["name"], row["generic_name"]].compactMap { $0 }
        }
        return AllergyCheck.Drug(label: medicine, names: names)
    }
}
