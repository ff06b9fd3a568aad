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
            let (id, number, createdAt, status, prescriber, medicines): (Int64, String, String, String, String, String?) = (row[0], row[1], row[2], row[3], row[4], row[5])
            return ChartEntry(
                at: createdAt, kind: "prescription", title: "Prescription \(number)",
                detail: (medicines.map { $0 + " · " } ?? "") + "by \(prescriber) · " + status.spacedWords,
                path: "/prescriptions/\(id)", action: .prescriptionsRead
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
            let (id, number, at, medicine, quantity, by): (Int64, String, String, String, Int64, String) = (row[0], row[1], row[2], row[3], row[4], row[6])
            return ChartEntry(
                at: at, kind: "dispensing", title: "Dispensed \(medicine) × \(quantity)", detail: "\(number) · by \(by)", path: "/prescriptions/\(id)",
                action: .prescriptionsRead
            )
        }
        return written + dispensed
    }
}
