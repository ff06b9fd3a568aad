import Foundation
import GRDB

/// An appointment as a request writes it. Patient, practitioner, time and branch can change only while it is
/// still `scheduled`; the status moves only along `AppointmentStatus.next`.
struct AppointmentForm {
    static let fields: Set<String> = ["patient_id", "practitioner_id", "branch", "start", "duration_minutes", "reason", "status"]

    var patientID: Int64?
    var practitionerID: Int64?
    var branch: String?
    var start: LocalDateTime?
    var duration: Int64 = 15
    var reason: String?
    var status = AppointmentStatus.scheduled

    init() {}

    init(row: Row, timeZone: TimeZone) {
        patientID = row["patient_id"]
        practitionerID = row["practitioner_id"]
        branch = row["branch"]
        start = LocalDateTime(row["starts_at"], timeZone: timeZone)
        duration = row["duration_minutes"]
        reason = row["reason"]
        status = AppointmentStatus(rawValue: row["status"]) ?? .scheduled
    }

    mutating func apply(_ request: inout RequestFields, tenant: Tenant, isNew: Bool) {
        let booking = ["patient_id", "practitioner_id", "branch", "start", "duration_minutes"].filter(request.has)
        if !isNew, status != .scheduled, let field = booking.first {
            request.fail(field, "cannot change once the appointment is \(status.rawValue)")
            return
        }
        if request.has("patient_id") || isNew { patientID = request.integer("patient_id", in: 1...Int64.max, required: true) }
        if request.has("practitioner_id") || isNew { practitionerID = request.integer("practitioner_id", in: 1...Int64.max, required: true) }
        if request.has("branch") || isNew { branch = request.branch("branch", of: tenant) }
        if request.has("start") || isNew {
            if let text = request.text("start", required: true) {
                start = LocalDateTime(text, timeZone: tenant.timeZone)
                if start == nil { request.fail("start", "must be a local time written YYYY-MM-DDTHH:MM (in \(tenant.definition.timezone))") }
            }
        }
        if request.has("duration_minutes") { duration = request.integer("duration_minutes", in: 5...480, required: true) ?? duration }
        if request.has("reason") { reason = request.text("reason", maxLength: 500) }
        if request.has("status") {
            let allowed = isNew ? [AppointmentStatus.scheduled] : status.next
            if let value = request.choice("status", AppointmentStatus.allCases.map(\.rawValue), required: true).flatMap(AppointmentStatus.init) {
                if value != status, !allowed.contains(value) {
                    let options = allowed.isEmpty ? "none: it is final" : allowed.map(\.rawValue).joined(separator: ", ")
                    request.fail("status", "cannot go from \(status.rawValue) to \(value.rawValue); allowed: \(options)")
                } else {
                    status = value
                }
            }
        }
    }

    var columns: [(String, DatabaseValue)] {
        let end = start?.adding(minutes: duration)
        return [
            ("patient_id", patientID.databaseValue), ("practitioner_id", practitionerID.databaseValue), ("branch", branch.databaseValue),
            ("starts_at", (start?.utc).databaseValue), ("ends_at", (end?.utc).databaseValue), ("local_start", (start?.local).databaseValue),
            ("local_date", (start?.localDate.description).databaseValue), ("duration_minutes", duration.databaseValue),
            ("reason", reason.databaseValue), ("status", status.rawValue.databaseValue),
        ]
    }
}
