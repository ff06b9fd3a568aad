import ClinicBoxCore
import GRDB
import Patients

/// Writing appointments, shared by the JSON API and the pages: booking without double-booking, and versioned
/// changes within the user's branches, each inside the caller's transaction with its audit row.
package enum AppointmentRecords {
    package static let changes = RecordChanges(table: "appointments", entity: "appointment")

    /// Books an appointment and returns its id.
    package static func create(_ db: Database, _ form: AppointmentForm, tenant: Tenant, actor: AuditActor) throws -> Int64 {
        try check(db, form, excluding: nil, tenant: tenant)
        return try changes.insert(db, form.columns, actor: actor, action: "appointments.create")
    }

    /// Applies the named `fields` to appointment `id` if it is still at `version` and in the user's branches.
    package static func update(
        _ db: Database,
        id: Int64,
        version: Int64,
        fields: RequestFields,
        tenant: Tenant,
        user: AuthenticatedUser,
        actor: AuditActor
    ) throws {
        try changes.requireVisible(db, id: id, branches: user.branchFilter)
        var fields = fields
        var form = AppointmentForm(row: try changes.current(db, id: id), timeZone: tenant.timeZone)
        form.apply(&fields, tenant: tenant, isNew: false)
        try fields.finish()
        guard user.mayActIn(branch: form.branch ?? "") else {
            throw Problem(.forbidden, title: "Not your branch", detail: "You may act only in branch \(user.branches.joined(separator: ", ")).")
        }
        try check(db, form, excluding: id, tenant: tenant)
        try changes.update(db, id: id, version: version, form.columns, actor: actor, action: "appointments.update")
    }

    private static func bookedPractitioner(_ db: Database, _ id: Int64?) throws -> Int64? {
        guard let id else { return nil }
        return try Int64.fetchOne(db, sql: "SELECT practitioner_id FROM appointments WHERE id = ?", arguments: [id])
    }

    /// The patient exists, the practitioner is an active user who sees patients, works in the branch and is free then.
    private static func check(_ db: Database, _ form: AppointmentForm, excluding id: Int64?, tenant: Tenant) throws {
        guard let patientID = form.patientID, let practitionerID = form.practitionerID, let branch = form.branch, let start = form.start else {
            return
        }
        try PatientFiling.require(db, patient: patientID)
        guard
            let practitioner = try Row.fetchOne(
                db,
                sql: "SELECT display_name, branches, active, \(User.seesPatientsSQL) AS sees_patients FROM users WHERE id = ?",
                arguments: [practitionerID]
            ), practitioner["active"] as Bool
        else {
            throw Problem(
                .unprocessableContent,
                title: "Invalid fields",
                detail: "Check practitioner_id.",
                fieldErrors: ["practitioner_id": "is not an active user of this tenant"]
            )
        }
        // Someone booked before they stopped seeing patients keeps their appointments; new bookings go to those who do.
        if practitioner["sees_patients"] as Bool == false, try bookedPractitioner(db, id) != practitionerID {
            throw Problem(
                .unprocessableContent,
                title: "Invalid fields",
                detail: "Check practitioner_id.",
                fieldErrors: [
                    "practitioner_id":
                        "\(practitioner["display_name"] as String) does not see patients (clinicians do, and users an admin marks as practitioners)"
                ]
            )
        }
        let branches = BranchCodes.decode(practitioner["branches"])
        guard branches.isEmpty || branches.contains(branch) else {
            throw Problem(
                .unprocessableContent,
                title: "Invalid fields",
                detail: "Check branch.",
                fieldErrors: ["branch": "\(practitioner["display_name"] as String) does not work at \(tenant.branchName(branch))"]
            )
        }
        guard form.status.rawValue != "cancelled", form.status.rawValue != "no_show" else { return }
        let end = start.adding(minutes: form.duration)
        if let clash = try Row.fetchOne(
            db,
            sql: """
                SELECT local_start, duration_minutes FROM appointments
                WHERE practitioner_id = ? AND status IN \(AppointmentStatus.occupying) AND starts_at < ? AND ends_at > ? AND id IS NOT ?
                ORDER BY starts_at LIMIT 1
                """,
            arguments: [practitionerID, end.utc, start.utc, id]
        ) {
            throw Problem(
                .conflict,
                title: "Practitioner already booked",
                detail:
                    "\(practitioner["display_name"] as String) has an appointment at \(tenant.readableTime.moment(clash["local_start"])) for \(clash["duration_minutes"] as Int64) minutes.",
                fieldErrors: ["start": "overlaps another appointment of this practitioner"]
            )
        }
    }

}
