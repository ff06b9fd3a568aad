import ClinicBoxCore
import Foundation
import GRDB
import Hummingbird
import Patients

/// `/api/v1/appointments`: day and week lists per branch and practitioner, booking without double-booking,
/// rescheduling and status changes.
package struct AppointmentsAPI {
    package static let changes = AppointmentRecords.changes
    package static let sorting = ListPage.Sorting([.init(name: "start", column: "starts_at")], default: "start")
    package static let json = """
        json_object(\(SQLJSON.columns("appointments", ["id", "patient_id", "practitioner_id", "branch"])),
            'start', appointments.local_start, \(SQLJSON.columns("appointments", ["starts_at", "ends_at", "duration_minutes", "reason", "status", "cancel_reason", "cancelled_at", "version", "created_at", "updated_at"])),
            'patient_name', patients.first_name || ' ' || patients.last_name, 'patient_number', patients.number, 'practitioner_name', users.display_name)
        """
    package static let joins = "JOIN patients ON patients.id = appointments.patient_id JOIN users ON users.id = appointments.practitioner_id"

    package static func fetch(_ db: Database, id: Int64) throws -> String {
        try SQLJSON.fetch(db, json, from: "appointments", joins: joins, id: id, entity: "appointment")
    }

    /// `?date=` one local day, `?week=` the Monday-to-Sunday week holding that date, or `?from=&to=` (dates,
    /// `to` inclusive); filtered by `branch`, `practitioner_id`, `patient_id` and `status`.
    package func list(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        var query = ListQuery(request)
        let (day, week, from, to) = (query.date("date"), query.date("week"), query.date("from"), query.date("to"))
        let (practitioner, patient) = (query.id("practitioner_id"), query.id("patient_id"))
        let status = query.choice("status")
        if [day, week, from ?? to].compactMap({ $0 }).count > 1 {
            let _: Bool? = query.fail("date", "give one of date, week, or from and to")
        }
        try query.finish()
        let page = try ListPage(request, sorting: Self.sorting)
        var conditions = try await context.branchConditions(request, column: "appointments.branch")
        if let day {
            conditions.add("appointments.local_date = ?", [day.description])
        } else if let week {
            let monday = week.adding(days: -week.weekdayFromMonday)
            conditions.add("appointments.local_date BETWEEN ? AND ?", [monday.description, monday.adding(days: 6).description])
        } else {
            if let from { conditions.add("appointments.local_date >= ?", [from.description]) }
            if let to { conditions.add("appointments.local_date <= ?", [to.description]) }
        }
        if let practitioner { conditions.add("appointments.practitioner_id = ?", [practitioner]) }
        if let patient { conditions.add("appointments.patient_id = ?", [patient]) }
        if let status { conditions.add("appointments.status = ?", [status]) }
        return try await page.fetch(context.storage.database(), item: Self.json, from: "appointments", joins: Self.joins, conditions: conditions)
    }

    package func show(_: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id = try context.recordID()
        let branches = context.user.branchFilter
        let json = try await context.storage.database().read { db in
            try Self.changes.requireVisible(db, id: id, branches: branches)
            return try Self.fetch(db, id: id)
        }
        return .json(bytes: ByteBuffer(string: json))
    }

    package func create(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        var fields = try await RequestFields.read(request, allowed: AppointmentForm.bookingFields)
        var form = AppointmentForm()
        form.apply(&fields, tenant: context.tenant, isNew: true)
        try fields.finish()
        try await context.requireBranch(form.branch ?? "")
        let (actor, tenant) = (context.actor, context.tenant)
        return try await Idempotency.write(request, context, fields: fields) { [form] db in
            let id = try AppointmentRecords.create(db, form, tenant: tenant, actor: actor)
            return .init(status: .created, json: try Self.fetch(db, id: id))
        }
    }

    package func update(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id = try context.recordID()
        var fields = try await RequestFields.read(request, allowed: AppointmentForm.changeFields.union(["version"]))
        let version = fields.integer("version", in: 1...Int64.max, required: true) ?? 0
        try fields.finish()
        let (actor, tenant, user) = (context.actor, context.tenant, context.user)
        let json = try await context.storage.database().write { [fields] db in
            try AppointmentRecords.update(db, id: id, version: version, fields: fields, tenant: tenant, user: user, actor: actor)
            return try Self.fetch(db, id: id)
        }
        return .json(bytes: ByteBuffer(string: json))
    }
}

extension CalendarDate {
    /// 0 for Monday … 6 for Sunday.
    package var weekdayFromMonday: Int {
        // Zeller-style day count from a known Monday (2001-01-01).
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let date = calendar.date(from: DateComponents(year: year, month: month, day: day))!
        return (calendar.component(.weekday, from: date) + 5) % 7
    }
}
