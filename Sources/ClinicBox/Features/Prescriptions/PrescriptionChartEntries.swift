import GRDB

extension PrescriptionsModule {
    /// Each prescription (its medicines and status), and each time medicine was handed out against one.
    func chartEntries(_ db: Database, patient: Int64, limit: Int, time: ReadableTime) throws -> [ChartEntry] {
        let written = try Row.fetchAll(
            db.cachedStatement(sql: """
                SELECT r.id, r.number, r.created_at, r.status, r.prescriber_name,
                    (SELECT group_concat(medicine, ', ') FROM prescription_items WHERE prescription_id = r.id) AS medicines
                FROM prescriptions r WHERE r.patient_id = ? ORDER BY r.prescribed_on DESC, r.id DESC LIMIT ?
                """),
            arguments: [patient, limit]
        ).map { row in
            ChartEntry(
                at: row["created_at"], kind: "prescription", title: "Prescription \(row["number"] as String)",
                detail: [row["medicines"], "by \(row["prescriber_name"] as String)", (row["status"] as String).replacingOccurrences(of: "_", with: " ")].compactMap { $0 }.joined(separator: " · "),
                path: "/prescriptions/\(row["id"] as Int64)", action: .prescriptionsRead
            )
        }
        let dispensed = try Row.fetchAll(
            db.cachedStatement(sql: """
                SELECT r.id, r.number, d.at, i.medicine, sum(d.quantity) AS quantity, d.branch, d.dispensed_by_email FROM prescription_dispensings d
                JOIN prescription_items i ON i.id = d.prescription_item_id JOIN prescriptions r ON r.id = i.prescription_id
                WHERE r.patient_id = ? GROUP BY d.at, i.id ORDER BY d.at DESC LIMIT ?
                """),
            arguments: [patient, limit]
        ).map { row in
            ChartEntry(
                at: row["at"], kind: "dispensing", title: "Dispensed \(row["medicine"] as String) × \(row["quantity"] as Int64)",
                detail: "\(row["number"] as String) · by \(row["dispensed_by_email"] as String)", path: "/prescriptions/\(row["id"] as Int64)",
                action: .prescriptionsRead
            )
        }
        return written + dispensed
    }
}
