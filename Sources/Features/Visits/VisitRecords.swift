import ClinicBoxCore
import Foundation
import GRDB
import Patients
import Prescriptions
import Treatments

/// Writing visits, shared by the API and the pages, each change in the caller's transaction with its audit row.
/// Only the visit's practitioner changes or signs it while it is open; once signed, only addenda follow.
package enum VisitRecords {
    package static let changes = RecordChanges(table: "visits", entity: "visit")

    package struct Start: Sendable {
        package var patientID: Int64?
        package var branch: String?
        package var appointmentID: Int64?
        /// A past day, for a visit recorded afterwards (from the paper history); nil is today.
        package var date: CalendarDate? = nil
    }

    /// Starts a visit for `user` and returns its id. From an appointment, the patient and branch are the
    /// appointment's, it must be checked in, and it gets one visit only.
    package static func create(
        _ db: Database,
        _ start: Start,
        content: VisitContent,
        user: AuthenticatedUser,
        actor: AuditActor,
        today: CalendarDate,
        timeZone: TimeZone
    ) throws -> Int64 {
        if let date = start.date {
            if date > today { throw Problem.invalid("visit_date", "must not be in the future") }
            if start.appointmentID != nil, date != today {
                throw Problem.invalid("visit_date", "is the appointment's day; leave it out when starting from an appointment")
            }
        }
        // A past visit is placed at noon of its day, so the chart's timeline and trends put it where it happened.
        let earlier = start.date.flatMap { $0 < today ? $0 : nil }
        let startedAt = earlier.flatMap { LocalDateTime("\($0)T12:00", timeZone: timeZone)?.utc } ?? Timestamp.now
        var (patient, branch) = (start.patientID, start.branch)
        if let appointment = start.appointmentID {
            guard try db.tableExists("appointments"),
                let row = try Row.fetchOne(db, sql: "SELECT patient_id, branch, status FROM appointments WHERE id = ?", arguments: [appointment])
            else { throw Problem.invalid("appointment_id", "is not an appointment of this clinic") }
            guard row["status"] as String == "checked_in" else {
                throw Problem.invalid(
                    "appointment_id",
                    "must be checked in first; it is \((row["status"] as String).replacingOccurrences(of: "_", with: " "))"
                )
            }
            if let existing = try String.fetchOne(db, sql: "SELECT number FROM visits WHERE appointment_id = ?", arguments: [appointment]) {
                throw Problem(
                    .conflict,
                    title: "Visit already started",
                    detail: "Visit \(existing) was already started for this appointment; open it instead."
                )
            }
            if let patient, patient != row["patient_id"] { throw Problem.invalid("patient_id", "must be the appointment's patient") }
            if let branch, branch != row["branch"] { throw Problem.invalid("branch", "must be the appointment's branch") }
            (patient, branch) = (row["patient_id"], row["branch"])
        }
        guard let patient else { throw Problem.invalid("patient_id", "is required (or start from an appointment with appointment_id)") }
        guard let branch else { throw Problem.invalid("branch", "is required") }
        try PatientFiling.require(db, patient: patient)
        let name = try user.nameAsRecorded(db)
        let next = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) + 1 FROM visits") ?? 1
        let columns: [(String, DatabaseValue)] = [
            ("number", ("V-" + String(next).leftPadded(to: 6)).databaseValue), ("patient_id", patient.databaseValue),
            ("branch", branch.databaseValue),
            ("practitioner_id", user.id.databaseValue), ("practitioner_name", name.databaseValue),
            ("appointment_id", start.appointmentID.databaseValue),
            ("visit_date", (earlier ?? today).description.databaseValue), ("started_at", startedAt.databaseValue), ("status", "open".databaseValue),
            ("entered_later", (earlier != nil).databaseValue),
        ]
        let id = try changes.insert(db, columns + content.columns, actor: actor, action: "visits.start")
        if let diagnoses = content.diagnoses { try replaceDiagnoses(db, visit: id, diagnoses) }
        return id
    }

    /// Applies `content` to open visit `id` at `version`.
    package static func update(_ db: Database, id: Int64, version: Int64, content: VisitContent, user: AuthenticatedUser, actor: AuditActor) throws {
        let row = try openVisit(db, id: id, user: user, doing: "change")
        try changes.update(db, id: id, version: version, content.columns, actor: actor, action: "visits.update")
        if let diagnoses = content.diagnoses {
            let before = try diagnosisText(db, visit: id)
            try replaceDiagnoses(db, visit: id, diagnoses)
            let after = try diagnosisText(db, visit: id)
            if before != after {
                // A change of diagnoses alone still moves the version, so a stale copy cannot overwrite them.
                if content.columns.allSatisfy({ row[$0.0] as DatabaseValue == $0.1 }) {
                    try db.execute(sql: "UPDATE visits SET version = version + 1, updated_at = ? WHERE id = ?", arguments: [Timestamp.now, id])
                }
                try AuditLog.record(
                    db,
                    actor: actor,
                    action: "visits.update",
                    entityType: "visit",
                    entityID: String(id),
                    changes: ["diagnoses": .init(before: before, after: after)]
                )
            }
        }
    }

    /// Signs open visit `id`: from now on it never changes.
    package static func sign(_ db: Database, id: Int64, version: Int64?, user: AuthenticatedUser, actor: AuditActor) throws {
        let row = try openVisit(db, id: id, user: user, doing: "sign")
        if let version, version != row["version"] {
            throw Problem.stale("visit", current: row["version"], yours: version, then: "read it again before signing")
        }
        let name = try user.nameAsRecorded(db)
        try db.execute(
            sql:
                "UPDATE visits SET status = 'signed', signed_at = ?, signed_by = ?, signed_by_name = ?, version = version + 1, updated_at = ? WHERE id = ?",
            arguments: [Timestamp.now, user.id, name, Timestamp.now, id]
        )
        try AuditLog.record(
            db,
            actor: actor,
            action: "visits.sign",
            entityType: "visit",
            entityID: String(id),
            changes: ["status": .init(before: "open", after: "signed")]
        )
        if let appointment = row["appointment_id"] as Int64? { try completeAppointment(db, appointment, actor: actor) }
    }

    /// Signing the visit of a checked-in appointment completes it: the patient was seen, so the desk no longer
    /// offers to cancel it or mark it missed.
    private static func completeAppointment(_ db: Database, _ id: Int64, actor: AuditActor) throws {
        try db.execute(
            sql: "UPDATE appointments SET status = 'completed', version = version + 1, updated_at = ? WHERE id = ? AND status = 'checked_in'",
            arguments: [Timestamp.now, id]
        )
        guard db.changesCount > 0 else { return }
        try AuditLog.record(
            db,
            actor: actor,
            action: "appointments.update",
            entityType: "appointment",
            entityID: String(id),
            changes: ["status": .init(before: "checked_in", after: "completed")]
        )
    }

    /// Appends an addendum to signed visit `id`.
    package static func addAddendum(_ db: Database, id: Int64, text: String, user: AuthenticatedUser, actor: AuditActor) throws {
        let row = try changes.current(db, id: id)
        guard row["status"] as String == "signed" else {
            throw Problem(
                .conflict,
                title: "Visit not signed",
                detail: "Visit \(row["number"] as String) is still open: change it directly. Addenda correct a signed visit."
            )
        }
        let name = try user.nameAsRecorded(db)
        try db.execute(
            sql: "INSERT INTO visit_addenda (visit_id, text, author_id, author_name, created_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [id, text, user.id, name, Timestamp.now]
        )
        try AuditLog.record(
            db,
            actor: actor,
            action: "visits.addendum",
            entityType: "visit",
            entityID: String(id),
            changes: ["addendum": .init(before: nil, after: text)]
        )
    }

    /// The open visit `id`, if `user` is its practitioner; a signed one is a 409, someone else's a 403.
    package static func openVisit(_ db: Database, id: Int64, user: AuthenticatedUser, doing what: String) throws -> Row {
        let row = try changes.current(db, id: id)
        guard row["status"] as String == "open" else {
            throw Problem(
                .conflict,
                title: "Visit signed",
                detail:
                    "Visit \(row["number"] as String) was signed by \(row["signed_by_name"] as String? ?? "its practitioner") and can no longer change. Add an addendum instead."
            )
        }
        guard row["practitioner_id"] as Int64 == user.id else {
            throw Problem(
                .forbidden,
                title: "Not your visit",
                detail: "Only \(row["practitioner_name"] as String), whose visit it is, may \(what) it while it is open."
            )
        }
        return row
    }

    private static func replaceDiagnoses(_ db: Database, visit: Int64, _ diagnoses: [VisitContent.Diagnosis]) throws {
        try db.execute(sql: "DELETE FROM visit_diagnoses WHERE visit_id = ?", arguments: [visit])
        for diagnosis in diagnoses {
            try db.execute(
                sql: "INSERT INTO visit_diagnoses (visit_id, description, icd10_code) VALUES (?, ?, ?)",
                arguments: [visit, diagnosis.description, diagnosis.code]
            )
        }
    }

    private static func diagnosisText(_ db: Database, visit: Int64) throws -> String? {
        let lines = try Row.fetchAll(
            db,
            sql: "SELECT description, icd10_code FROM visit_diagnoses WHERE visit_id = ? ORDER BY id",
            arguments: [visit]
        ).map { row in
            (row["icd10_code"] as String?).map { "\(row["description"] as String) (\($0))" } ?? (row["description"] as String)
        }
        return lines.isEmpty ? nil : lines.joined(separator: "; ")
    }
}
