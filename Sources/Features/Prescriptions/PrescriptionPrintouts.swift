import ClinicBoxCore
import Clinical
import GRDB
import Hummingbird

/// The paper a prescription makes: the prescription itself on the tenant's sheet (prescriber with registration
/// number, patient, items, a signature line), and a label for each time medicine was handed out, on the label
/// printer's size (`printing.label`). Printing one is a view of the patient's record, audited like the chart.
package struct PrescriptionPrintouts {
    package let pages: ModulePages

    package func prescription(_: Request, _ context: PageRequestContext) async throws -> Response {
        let id = try context.recordID(entity: "prescription")
        let database = try await context.storage.database()
        let (facts, items) = try await database.read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT r.number, r.prescribed_on, r.prescriber_name, r.prescriber_registration, r.prescriber_practice, r.notes, r.status,
                        p.id AS patient_id, p.number AS patient_number, p.first_name, p.last_name, p.date_of_birth
                    FROM prescriptions r JOIN patients p ON p.id = r.patient_id WHERE r.id = ?
                    """,
                arguments: [id]
            )
            guard let row else { throw RecordChanges.notFound("prescription") }
            var facts: [String: String] = [
                "number": row["number"], "date": ReadableTime.day(row["prescribed_on"] as String), "prescriber": row["prescriber_name"],
                "patient": "\(row["first_name"] as String) \(row["last_name"] as String)", "patientNumber": row["patient_number"],
                "patientID": String(row["patient_id"] as Int64), "notes": row["notes"] ?? "", "registration": row["prescriber_registration"] ?? "",
                "practice": row["prescriber_practice"] ?? "", "cancelled": row["status"] as String == "cancelled" ? "true" : "",
            ]
            if let born = row["date_of_birth"] as String? { facts["born"] = ReadableTime.day(born) }
            let items = try Row.fetchAll(
                db,
                sql: """
                    SELECT medicine, strength, dose, route, frequency, duration, quantity, repeats, repeat_interval_days FROM prescription_items
                    WHERE prescription_id = ? ORDER BY id
                    """,
                arguments: [id]
            ).map { item -> [String: String] in
                let repeats = item["repeats"] as Int64
                return [
                    "medicine": item["medicine"], "strength": item["strength"] ?? "", "dose": item["dose"],
                    "route": (item["route"] as String?).map { PrescriptionsAPI.routeText[$0] ?? $0 } ?? "", "frequency": item["frequency"] ?? "",
                    "duration": item["duration"] ?? "",
                    "quantity": String(item["quantity"] as Int64),
                    "repeats": repeats == 0
                        ? "none" : "\(repeats)" + ((item["repeat_interval_days"] as Int64?).map { ", at least \($0) days apart" } ?? ""),
                ]
            }
            return (facts, items)
        }
        try await ChartViews.recordPrinted(
            database,
            patient: Int64(facts["patientID"] ?? "") ?? 0,
            what: "prescription \(facts["number"] ?? "")",
            actor: context.actor
        )
        // A section shows for any string, even an empty one: what is not there is left out.
        var data: [String: Any] = facts.filter { !$0.value.isEmpty }
        data["items"] = items
        return pages.printout(
            context,
            "prescription-print",
            title: "Prescription \(facts["number"] ?? "")",
            paper: context.tenant.definition.printing.sheet,
            back: "\(context.basePath)/prescriptions/\(id)",
            data: data
        )
    }

    /// The label for one handing-out: the pharmacy (the branch it was handed out at), the patient, the medicine
    /// and its strength, the instructions, how many, when, and by whom.
    package func label(_: Request, _ context: PageRequestContext) async throws -> Response {
        let id = try context.recordID(entity: "prescription")
        let dispensing = try context.recordID("dispensing", entity: "dispensing")
        let database = try await context.storage.database()
        let facts = try await database.read { db -> [String: String] in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT d.quantity, d.at, d.branch, d.batch_number, d.expiry, coalesce(d.dispensed_by_name, d.dispensed_by_email) AS pharmacist,
                        i.medicine, i.strength, i.dose, i.route, i.frequency, i.duration, r.number, p.id AS patient_id, p.first_name, p.last_name
                    FROM prescription_dispensings d JOIN prescription_items i ON i.id = d.prescription_item_id
                    JOIN prescriptions r ON r.id = i.prescription_id JOIN patients p ON p.id = r.patient_id
                    WHERE d.id = ? AND r.id = ?
                    """,
                arguments: [dispensing, id]
            )
            guard let row else { throw RecordChanges.notFound("dispensing") }
            return [
                "quantity": String(row["quantity"] as Int64), "day": ReadableTime.day(String((row["at"] as String).prefix(10))),
                "branch": row["branch"], "batch": row["batch_number"], "expiry": ReadableTime.day(row["expiry"] as String),
                "pharmacist": row["pharmacist"], "medicine": row["medicine"], "strength": row["strength"] ?? "",
                "dose": PrescriptionsAPI.Item.instructions(
                    dose: row["dose"],
                    route: row["route"],
                    frequency: row["frequency"],
                    duration: row["duration"]
                ),
                "number": row["number"], "patient": "\(row["first_name"] as String) \(row["last_name"] as String)",
                "patientID": String(row["patient_id"] as Int64),
            ]
        }
        try await ChartViews.recordPrinted(
            database,
            patient: Int64(facts["patientID"] ?? "") ?? 0,
            what: "dispensing label for \(facts["number"] ?? "")",
            actor: context.actor
        )
        return pages.printout(
            context,
            "label-print",
            title: "Label \(facts["medicine"] ?? "")",
            paper: context.tenant.definition.printing.label,
            branch: facts["branch"],
            back: "\(context.basePath)/prescriptions/\(id)",
            data: facts
        )
    }
}
