import ClinicBoxCore
import GRDB
import Hummingbird
import Inventory
import Patients

extension PermissionAction {
    package static let prescriptionsRead = PermissionAction("prescriptions.read", doing: "see prescriptions")
    package static let prescriptionsWrite = PermissionAction("prescriptions.write", doing: "write prescriptions")
    package static let prescriptionsDispense = PermissionAction("prescriptions.dispense", doing: "dispense prescriptions")
}

/// Prescriptions written by clinicians and dispensed by pharmacies from stock, first expiry first.
package struct PrescriptionsModule: FeatureModule {
    package let id = "prescriptions"
    package let domains: Set<TenantDomain> = [.clinic, .dental, .pharmacy, .general]  // dentists prescribe antibiotics and pain relief
    package let dependencies = ["patients"]
    package let summary = "writing and dispensing prescriptions"
    package let actions: [PermissionAction: Set<Role>] = [
        .prescriptionsRead: [.manager, .clinician],
        .prescriptionsWrite: [.manager, .clinician],
        .prescriptionsDispense: [.manager, .clinician],
    ]

    package let migrations = [
        TenantSchema.Step(id: "prescriptions.v1") { db, _ in
            try db.execute(
                sql: """
                    CREATE TABLE prescriptions (
                        id INTEGER PRIMARY KEY,
                        number TEXT NOT NULL UNIQUE,
                        patient_id INTEGER NOT NULL REFERENCES patients (id),
                        prescriber_id INTEGER REFERENCES users (id),
                        prescriber_name TEXT NOT NULL,
                        prescribed_on TEXT NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('pending', 'partially_dispensed', 'dispensed', 'cancelled')),
                        notes TEXT,
                        version INTEGER NOT NULL,
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX prescriptions_by_patient ON prescriptions (patient_id, prescribed_on);
                    CREATE INDEX prescriptions_by_status ON prescriptions (status, prescribed_on);
                    CREATE INDEX prescriptions_by_date ON prescriptions (prescribed_on);
                    CREATE TABLE prescription_items (
                        id INTEGER PRIMARY KEY,
                        prescription_id INTEGER NOT NULL REFERENCES prescriptions (id),
                        medicine TEXT NOT NULL,
                        strength TEXT,
                        dose TEXT NOT NULL,
                        quantity INTEGER NOT NULL CHECK (quantity > 0),
                        repeats INTEGER NOT NULL CHECK (repeats BETWEEN 0 AND 12),
                        product_id INTEGER,
                        dispensed_quantity INTEGER NOT NULL DEFAULT 0 CHECK (dispensed_quantity BETWEEN 0 AND quantity * (repeats + 1))
                    ) STRICT;
                    CREATE INDEX prescription_items_by_prescription ON prescription_items (prescription_id);
                    CREATE TABLE prescription_dispensings (
                        id INTEGER PRIMARY KEY,
                        prescription_item_id INTEGER NOT NULL REFERENCES prescription_items (id),
                        product_id INTEGER NOT NULL,
                        batch_id INTEGER NOT NULL,
                        batch_number TEXT NOT NULL,
                        expiry TEXT NOT NULL,
                        branch TEXT NOT NULL,
                        quantity INTEGER NOT NULL CHECK (quantity > 0),
                        dispensed_by INTEGER NOT NULL,
                        dispensed_by_email TEXT NOT NULL,
                        at TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX prescription_dispensings_by_item ON prescription_dispensings (prescription_item_id);
                    """
            )
        },
        // Going ahead despite a patient's allergy is allowed with a reason, which stays on the record.
        TenantSchema.Step(id: "prescriptions.v2") { db, _ in
            try db.execute(
                sql: """
                    ALTER TABLE prescriptions ADD COLUMN allergy_override_reason TEXT;
                    ALTER TABLE prescriptions ADD COLUMN allergy_override_by TEXT;
                    ALTER TABLE prescription_dispensings ADD COLUMN allergy_override_reason TEXT;
                    """
            )
        },
        // The chart's timeline reads a patient's prescriptions newest first, from an index, however many there are.
        TenantSchema.Step(id: "prescriptions.v3") { db, _ in
            try db.execute(sql: "CREATE INDEX prescriptions_by_patient_time ON prescriptions (patient_id, created_at)")
        },
        // Who handed medicine out is shown by name, as it was when they did; what was handed out is never rewritten.
        TenantSchema.Step(id: "prescriptions.v4") { db, _ in
            try db.execute(
                sql: """
                    ALTER TABLE prescription_dispensings ADD COLUMN dispensed_by_name TEXT;
                    UPDATE prescription_dispensings SET dispensed_by_name = (SELECT display_name FROM users WHERE users.id = dispensed_by);
                    CREATE TRIGGER prescription_dispensings_never_change BEFORE UPDATE ON prescription_dispensings
                        BEGIN SELECT RAISE(ABORT, 'a dispensing is never changed'); END;
                    CREATE TRIGGER prescription_dispensings_never_removed BEFORE DELETE ON prescription_dispensings
                        BEGIN SELECT RAISE(ABORT, 'a dispensing is never removed'); END;
                    """
            )
        },
        // A prescription brought in from an outside prescriber records them (name, registration number, practice)
        // and, apart, who entered it; one written at a visit names the visit.
        TenantSchema.Step(id: "prescriptions.v5") { db, _ in
            try db.execute(
                sql: """
                    ALTER TABLE prescriptions ADD COLUMN prescriber_registration TEXT;
                    ALTER TABLE prescriptions ADD COLUMN prescriber_practice TEXT;
                    ALTER TABLE prescriptions ADD COLUMN entered_by_name TEXT;
                    ALTER TABLE prescriptions ADD COLUMN visit_id INTEGER;
                    CREATE INDEX prescriptions_by_visit ON prescriptions (visit_id) WHERE visit_id IS NOT NULL;
                    """
            )
        },
        // Repeats have a minimum interval, from the dose and quantity unless given; one dispensed early keeps why.
        TenantSchema.Step(id: "prescriptions.v6") { db, _ in
            try db.execute(
                sql: """
                    ALTER TABLE prescription_items ADD COLUMN repeat_interval_days INTEGER CHECK (repeat_interval_days BETWEEN 1 AND 365);
                    ALTER TABLE prescription_dispensings ADD COLUMN early_repeat_reason TEXT;
                    """
            )
            for item in try Row.fetchAll(db, sql: "SELECT id, dose, quantity FROM prescription_items WHERE repeats > 0") {
                try db.execute(
                    sql: "UPDATE prescription_items SET repeat_interval_days = ? WHERE id = ?",
                    arguments: [min(365, RepeatInterval.days(dose: item["dose"], quantity: item["quantity"])), item["id"] as Int64]
                )
            }
        },
        // Which dispensings a till sale made (those are paid at the till; the others can be billed). Filled for the
        // past from the stock movements that named the sale.
        TenantSchema.Step(id: "prescriptions.v7") { db, _ in
            try db.execute(
                sql: """
                    CREATE TABLE prescription_dispensing_sales (
                        dispensing_id INTEGER PRIMARY KEY REFERENCES prescription_dispensings (id),
                        sale TEXT NOT NULL
                    ) STRICT;
                    CREATE TRIGGER prescription_dispensing_sales_never_change BEFORE UPDATE ON prescription_dispensing_sales
                    BEGIN SELECT RAISE(ABORT, 'a dispensing is sold once'); END;
                    CREATE TRIGGER prescription_dispensing_sales_never_removed BEFORE DELETE ON prescription_dispensing_sales
                    BEGIN SELECT RAISE(ABORT, 'a dispensing is sold once'); END;
                    """
            )
            guard try db.tableExists("stock_movements") else { return }
            try db.execute(
                sql: """
                    INSERT INTO prescription_dispensing_sales (dispensing_id, sale)
                    SELECT d.id, min(substr(m.reference, instr(m.reference, ' sale:') + 6))
                    FROM prescription_dispensings d
                    JOIN prescription_items i ON i.id = d.prescription_item_id JOIN prescriptions p ON p.id = i.prescription_id
                    JOIN stock_movements m ON m.batch_id = d.batch_id AND m.kind = 'dispense' AND m.change = -d.quantity
                        AND m.reference LIKE 'prescription:' || p.number || ' sale:%' AND abs(julianday(m.at) - julianday(d.at)) < 3.0 / 86400
                    GROUP BY d.id
                    """
            )
        },
        // How each medicine is taken, as a prescription prints it: the route, how often, for how long (the dose
        // keeps what one dose is). Earlier items wrote all of it in the dose.
        TenantSchema.Step(id: "prescriptions.v8") { db, _ in
            try db.execute(
                sql: """
                    ALTER TABLE prescription_items ADD COLUMN route TEXT;
                    ALTER TABLE prescription_items ADD COLUMN frequency TEXT;
                    ALTER TABLE prescription_items ADD COLUMN duration TEXT;
                    """
            )
        },
    ]

    /// A dispensing not sold at the till is billed at its batch's price (needs inventory, which dispensing takes from).
    package var billables: [BillableSource] {
        [
            BillableSource(
                kind: "dispensing",
                needs: "inventory",
                query: """
                    SELECT d.id, substr(d.at, 1, 10), i.medicine || coalesce(' ' || i.strength, '') || ' × ' || d.quantity || ' (' || p.number || ')',
                        d.quantity * b.selling_price, pr.sku, d.branch
                    FROM prescription_dispensings d JOIN prescription_items i ON i.id = d.prescription_item_id
                    JOIN prescriptions p ON p.id = i.prescription_id JOIN stock_batches b ON b.id = d.batch_id JOIN products pr ON pr.id = d.product_id
                    WHERE p.patient_id = :patient AND NOT EXISTS (SELECT 1 FROM prescription_dispensing_sales s WHERE s.dispensing_id = d.id)
                    """
            )
        ]
    }

    package static let dispensingNeeds = "dispensing takes stock from it"
    package let optionalDependencies = ["inventory": dispensingNeeds]

    package let navigation: ModuleNavigation? = ModuleNavigation(label: "Prescriptions", action: .prescriptionsRead)

    /// Prescriptions still waiting to be (fully) dispensed, oldest first.
    package func dashboardCards(_ context: PageRequestContext) async throws -> [DashboardCard] {
        guard context.allows(.prescriptionsRead) else { return [] }
        let base = context.basePath
        let lines = try await context.storage.database().readStatement { db in
            try db.fetchAllCached(
                """
                SELECT r.id, r.number, r.prescribed_on, p.first_name, p.last_name FROM prescriptions r JOIN patients p ON p.id = r.patient_id
                WHERE r.status IN ('pending', 'partially_dispensed') ORDER BY r.id LIMIT 8
                """
            ).map { row in
                DashboardCard.Line(
                    text: "\(row["number"] as String) \(row["first_name"] as String) \(row["last_name"] as String)",
                    detail: ReadableTime.day(row["prescribed_on"] as String),
                    href: "\(base)/prescriptions/\(row["id"] as Int64)",
                    record: nil
                )
            }
        }
        return [
            DashboardCard(
                title: "Pending prescriptions",
                kind: "prescriptions",
                lines: lines,
                empty: "No prescriptions waiting.",
                moreHref: base + "/prescriptions?status=pending",
                moreLabel: "All pending"
            )
        ]
    }

    package var chart: ChartContribution {
        ChartContribution(actions: [PatientAction(label: "Prescribe", path: "new", action: .prescriptionsWrite)], timeline: timelineSources)
    }

    package init() {}
}

package enum PrescriptionJSON {
    package static let object = """
        json_object(\(SQLJSON.columns("prescriptions", [
            "id", "number", "patient_id", "prescriber_id", "prescriber_name", "prescriber_registration", "prescriber_practice", "entered_by_name", "visit_id",
            "prescribed_on", "status", "notes", "allergy_override_reason", "allergy_override_by", "version", "created_at", "updated_at",
        ])),
            'items', json((SELECT json_group_array(json(item)) FROM (
                SELECT json_object('id', i.id, 'medicine', i.medicine, 'strength', i.strength, 'dose', i.dose, 'route', i.route,
                    'frequency', i.frequency, 'duration', i.duration, 'quantity', i.quantity,
                    'repeats', i.repeats, 'repeat_interval_days', i.repeat_interval_days, 'product_id', i.product_id, 'dispensed_quantity', i.dispensed_quantity,
                    'dispensings', json((SELECT json_group_array(json(d)) FROM (
                        SELECT json_object('batch_id', batch_id, 'batch_number', batch_number, 'expiry', expiry, 'branch', branch,
                            'quantity', quantity, 'dispensed_by', dispensed_by_email, 'dispensed_by_name', dispensed_by_name, 'at', at, 'early_repeat_reason', early_repeat_reason, 'allergy_override_reason', allergy_override_reason) AS d
                        FROM prescription_dispensings WHERE prescription_item_id = i.id ORDER BY id)))) AS item
                FROM prescription_items i WHERE i.prescription_id = prescriptions.id ORDER BY i.id))))
        """

    package static func fetch(_ db: Database, id: Int64) throws -> String {
        try SQLJSON.fetch(db, object, from: "prescriptions", id: id, entity: "prescription")
    }
}
