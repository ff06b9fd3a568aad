import ClinicBoxCore
import Foundation
import GRDB
import Patients

/// An appointment as a request writes it. Patient, practitioner, time and branch can change only while it is
/// still `scheduled`; the status moves only along `AppointmentStatus.next`, except that a cancellation can be
/// undone (back to `scheduled`) on the day it was made, and a no-show on the appointment's own day (the patient came
/// late after all), if the time is still free. Nobody is marked as not attending before the appointment starts.
package struct AppointmentForm {
    /// What a booking and a change write, described once: the allowed names and the OpenAPI schemas come from this
    /// list; `apply` reads and checks each (a practitioner who sees patients, local time, the status's moves).
    package static let fields = RecordFields([
        .ruled("patient_id", "Patient", .id),
        .ruled("practitioner_id", "Practitioner", .id),
        .ruled("branch", "Branch", .text),
        .ruled("start", "Start", .string(description: "YYYY-MM-DDTHH:MM local, or ISO 8601 with offset")),
        .ruled("duration_minutes", "Duration", .integer(description: "5–480, default 15")),
        .ruled("reason", "Reason", .optionalText),
        .ruled("status", "Status", .choice(AppointmentStatus.allCases.map(\.rawValue))),
        .ruled(
            "cancel_reason",
            "Why it is cancelled",
            .string(nullable: true, description: "why, with status cancelled (shown in the history)", maxLength: 500)
        ),
    ])
    /// A change may also say why it cancels; a booking may not.
    package static let changeFields = fields.names
    package static let bookingFields = changeFields.subtracting(["cancel_reason"])

    package var patientID: Int64?
    package var practitionerID: Int64?
    package var branch: String?
    package var start: LocalDateTime?
    package var duration: Int64 = 15
    package var reason: String?
    package var status = AppointmentStatus.scheduled
    /// Why it was cancelled, and when (UTC): kept while cancelled, cleared when restored (the audit log keeps both).
    package var cancelReason: String?
    package var cancelledAt: String?

    package init() {}

    package init(row: Row, timeZone: TimeZone) {
        patientID = row["patient_id"]
        practitionerID = row["practitioner_id"]
        branch = row["branch"]
        start = LocalDateTime(row["starts_at"], timeZone: timeZone)
        duration = row["duration_minutes"]
        reason = row["reason"]
        status = AppointmentStatus(rawValue: row["status"]) ?? .scheduled
        cancelReason = row["cancel_reason"]
        cancelledAt = row["cancelled_at"]
    }

    /// Cancelled today, or marked as not attended on the appointment's own day (where the tenant is), so it may
    /// still be restored.
    package func mayBeRestored(today: CalendarDate, in timeZone: TimeZone) -> Bool {
        if status == .noShow { return start?.localDate == today }
        guard status == .cancelled, let cancelledAt, let moment = LocalDateTime(cancelledAt, timeZone: timeZone) else { return false }
        return moment.localDate == today
    }

    /// True once the appointment's time has come: only then may it be marked as not attended.
    package func hasStarted(now: Date = Date()) -> Bool {
        start.map { $0.instant <= now } ?? false
    }

    package mutating func apply(_ request: inout RequestFields, tenant: Tenant, isNew: Bool) {
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
        let restorable = mayBeRestored(today: .today(in: tenant.timeZone), in: tenant.timeZone)
        if request.has("status") {
            let allowed = isNew ? [AppointmentStatus.scheduled] : status.next + (restorable ? [.scheduled] : [])
            if let value = request.choice("status", AppointmentStatus.allCases.map(\.rawValue), required: true).flatMap(AppointmentStatus.init) {
                if value != status, !allowed.contains(value) {
                    let options = allowed.isEmpty ? "none: it is final" : allowed.map(\.rawValue).joined(separator: ", ")
                    let undo =
                        status == .cancelled && value == .scheduled
                        ? " (a cancellation can be undone only on the day it was made)"
                        : status == .noShow && value == .scheduled ? " (a no-show can be undone only on the appointment's day)" : ""
                    request.fail("status", "cannot go from \(status.rawValue) to \(value.rawValue)\(undo); allowed: \(options)")
                } else if value == .noShow, value != status, !hasStarted() {
                    let at = start.map { tenant.readableTime.moment($0.local) } ?? "its time"
                    request.fail("status", "the appointment starts \(at); a patient is marked as not attended only after that")
                } else if value != status {
                    if value == .cancelled { cancelledAt = Timestamp.now }
                    if status == .cancelled { (cancelReason, cancelledAt) = (nil, nil) }
                    status = value
                }
            }
        }
        if request.has("cancel_reason") {
            if status == .cancelled, cancelledAt != nil {
                cancelReason = request.text("cancel_reason", maxLength: 500)
            } else {
                request.fail("cancel_reason", "is given only with status cancelled")
            }
        }
    }

    package var columns: [(String, DatabaseValue)] {
        let end = start?.adding(minutes: duration)
        return [
            ("patient_id", patientID.databaseValue), ("practitioner_id", practitionerID.databaseValue), ("branch", branch.databaseValue),
            ("starts_at", (start?.utc).databaseValue), ("ends_at", (end?.utc).databaseValue), ("local_start", (start?.local).databaseValue),
            ("local_date", (start?.localDate.description).databaseValue), ("duration_minutes", duration.databaseValue),
            ("reason", reason.databaseValue), ("status", status.rawValue.databaseValue), ("cancel_reason", cancelReason.databaseValue),
            ("cancelled_at", cancelledAt.databaseValue),
        ]
    }
}
