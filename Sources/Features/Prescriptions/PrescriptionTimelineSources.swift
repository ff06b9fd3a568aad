import ClinicBoxCore
import GRDB
import Inventory
import Patients

extension PrescriptionsModule {
    /// Each prescription (its medicines and status), and each time medicine was handed out against one.
    package var timelineSources: [TimelineSource] {
        [
            TimelineSource(
                kind: "prescription",
                action: .prescriptionsRead,
                query: """
                    SELECT r.created_at, r.id, r.number, r.status, r.prescriber_name,
                        (SELECT group_concat(medicine, ', ') FROM prescription_items WHERE prescription_id = r.id),
                        r.visit_id IS NOT NULL
                    FROM prescriptions r WHERE r.patient_id = :patient
                    """
            ) { row, _ in
                // Whether it was written at a visit; the prescription's page names the visit (a pharmacy has no visits table).
                let (number, status, prescriber, medicines, atVisit): (String, String, String, String?, Bool) = (
                    row[0], row[1], row[2], row[3], row[4]
                )
                let detail = (medicines.map { $0 + " · " } ?? "") + "by \(prescriber)" + (atVisit ? " at a visit" : "") + " · " + status.spacedWords
                return ("Prescription \(number)", detail, "/prescriptions/\(row.id)")
            },
            TimelineSource(
                kind: "dispensing",
                action: .prescriptionsRead,
                query: """
                    SELECT d.at, r.id, r.number, i.medicine, sum(d.quantity), coalesce(d.dispensed_by_name, d.dispensed_by_email),
                        group_concat(d.batch_number || char(31) || d.expiry, char(30)) FROM prescription_dispensings d
                    JOIN prescription_items i ON i.id = d.prescription_item_id JOIN prescriptions r ON r.id = i.prescription_id
                    WHERE r.patient_id = :patient AND \(ChartReader.inBranches("d.branch")) GROUP BY d.at, i.id
                    """
            ) { row, _ in
                let (number, medicine, quantity, by, batches): (String, String, Int64, String, String?) = (row[0], row[1], row[2], row[3], row[4])
                // Each batch and its expiry, as people read a date: "batch AM-2401, expires 31 Jan 2030".
                let taken = (batches ?? "").split(separator: "\u{1E}").map { batch in
                    let parts = batch.split(separator: "\u{1F}", omittingEmptySubsequences: false)
                    let expiry = parts.count > 1 ? ReadableTime.day(String(parts[1])) : "?"
                    return "batch \(parts.first ?? ""), expires \(expiry)"
                }
                return (
                    "Dispensed \(medicine) × \(quantity)", (["\(number)", "by \(by)"] + taken).joined(separator: " · "), "/prescriptions/\(row.id)"
                )
            },
        ]
    }
}
