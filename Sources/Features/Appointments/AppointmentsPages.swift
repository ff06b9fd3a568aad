import ClinicBoxCore
import Foundation
import GRDB
import Hummingbird
import Mustache
import Patients

/// `/appointments` pages: the day's appointments per branch, booking (by patient number), and moving an
/// appointment along its statuses with one button each (check in, complete). Cancelling asks first, with a reason
/// that the history shows, and can be undone (Restore) on the day it was made; *No-show* is offered only once the
/// appointment has started, asks first, and can be undone on the appointment's day.
package struct AppointmentsPages {
    package let pages: ModulePages

    /// One appointment of the day, with the status buttons the user may press.
    package struct Line: TemplateValues, Sendable {
        package var id: Int64
        package var time: String
        package var patientName: String
        package var patientNumber: String
        package var patientHref: String
        package var practitioner: String
        package var branch: String
        package var reason: String?
        package var status: String
        package var actions: [[String: String]]
        package var editHref: String?
        /// The confirmation page that cancels it, when it may be cancelled.
        package var cancelHref: String?
        package var cancelReason: String?
        package var href: String

        /// "Ada Lovelace (P-000001)".
        package var patient: String { "\(patientName) (\(patientNumber))" }

        /// "Ada Lovelace (P-000001) at 09:00: checked in."
        package var changeNotice: String {
            "\(patient) at \(time.prefix(5)): \(status.replacingOccurrences(of: "_", with: " "))."
        }

        package static let templateNames: TemplateNames<Line> = [
            "id": { $0.id },
            "time": { $0.time },
            "patient": { $0.patient },
            "patientName": { $0.patientName },
            "patientNumber": { $0.patientNumber },
            "patientHref": { $0.patientHref },
            "practitioner": { $0.practitioner },
            "branch": { $0.branch },
            "reason": { $0.reason },
            "status": { $0.status.replacingOccurrences(of: "_", with: " ") },
            "actions": { $0.actions },
            "editHref": { $0.editHref },
            "cancelHref": { $0.cancelHref },
            "cancelReason": { $0.cancelReason },
            "href": { $0.href },
        ]
    }

    private static let buttonLabels: [AppointmentStatus: String] = [
        .scheduled: "Restore", .checkedIn: "Check in", .completed: "Complete", .noShow: "No-show",
    ]

    package func day(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let date = try context.day(request)
        let branches = context.workBranches
        let branch = query.get("branch").flatMap { branches.contains($0) ? $0 : nil }
        let base = context.basePath
        let canWrite = context.allows(.appointmentsWrite)
        let tenant = context.tenant
        let lines = try await context.storage.database().read { db in
            var conditions = SQLConditions()
            conditions.add("appointments.local_date = ?", [date.description])
            if let branch {
                conditions.add("appointments.branch = ?", [branch])
            } else if let only = context.user.branchFilter {
                conditions.add(column: "appointments.branch", in: only)
            }
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.lineColumns) FROM appointments \(AppointmentsAPI.joins) \(conditions.whereClause) ORDER BY appointments.starts_at
                    """,
                arguments: conditions.arguments
            ).map { row in Self.line(row, base: base, canWrite: canWrite, tenant: tenant) }
        }
        var data: [String: Any] = [
            "date": date.description, "day": ReadableTime.day(date), "previous": date.adding(days: -1).description,
            "next": date.adding(days: 1).description,
            "lines": lines, "hasLines": !lines.isEmpty, "canWrite": canWrite,
            "branches": context.branchOptions(branches, selected: branch), "hasBranches": branches.count > 1,
        ]
        if let branch { data["branch"] = branch }
        var notice = query.get("booked") == "1" ? "Appointment booked." : nil
        if let changed = query.get("changed").flatMap(Int64.init), let line = lines.first(where: { $0.id == changed }) {
            notice = line.changeNotice
        }
        return pages.page(context, "day", title: "Appointments \(date)", data: data, flash: notice)
    }

    private static let lineColumns = """
        appointments.id, appointments.version, appointments.local_start, appointments.duration_minutes, appointments.branch, appointments.reason,
        appointments.status, appointments.cancel_reason, appointments.cancelled_at, appointments.patient_id, patients.first_name, patients.last_name,
        patients.number, users.display_name, appointments.starts_at
        """

    private static func line(_ row: Row, base: String, canWrite: Bool, tenant: Tenant) -> Line {
        let status = AppointmentStatus(rawValue: row["status"]) ?? .scheduled
        let id: Int64 = row["id"]
        let version: Int64 = row["version"]
        let local: String = row["local_start"]
        var form = AppointmentForm()
        (form.status, form.cancelledAt, form.start) = (status, row["cancelled_at"], LocalDateTime(row["starts_at"], timeZone: tenant.timeZone))
        // Cancelling has its own link; a no-show only once the appointment has started.
        let buttons =
            status.next.filter { $0 != .cancelled && ($0 != .noShow || form.hasStarted()) }
            + (form.mayBeRestored(today: .today(in: tenant.timeZone), in: tenant.timeZone) ? [.scheduled] : [])
        return Line(
            id: id,
            time: "\(local.suffix(5)) (\(row["duration_minutes"] as Int64) min)",
            patientName: "\(row["first_name"] as String) \(row["last_name"] as String)",
            patientNumber: row["number"],
            patientHref: "\(base)/patients/\(row["patient_id"] as Int64)",
            practitioner: row["display_name"],
            branch: tenant.branchName(row["branch"]),
            reason: row["reason"],
            status: status.rawValue,
            actions: canWrite
                ? buttons.map {
                    [
                        "action": "\(base)/appointments/\(id)/status", "version": String(version), "status": $0.rawValue,
                        "label": Self.buttonLabels[$0] ?? $0.rawValue,
                    ]
                } : [],
            editHref: canWrite && status == .scheduled ? "\(base)/appointments/\(id)/edit" : nil,
            cancelHref: canWrite && status.next.contains(.cancelled) ? "\(base)/appointments/\(id)/cancel" : nil,
            cancelReason: row["cancel_reason"],
            href: "\(base)/appointments/\(id)"
        )
    }

    /// One appointment: what the day view shows, with its date, and its history from the audit log.
    package func show(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let id = try context.recordID(entity: "appointment")
        let (base, canWrite, branches, tenant) = (context.basePath, context.allows(.appointmentsWrite), context.user.branchFilter, context.tenant)
        let (line, date, history) = try await context.storage.database().read { db -> (Line, String, [[String: String]]) in
            try AppointmentRecords.changes.requireVisible(db, id: id, branches: branches)
            let row = try Row.fetchOne(
                db,
                sql: "SELECT \(Self.lineColumns), appointments.local_date FROM appointments \(AppointmentsAPI.joins) WHERE appointments.id = ?",
                arguments: [id]
            )!
            let entries = try Row.fetchAll(
                db,
                sql: "SELECT \(AuditEntry.columns) FROM audit_log WHERE entity_type = 'appointment' AND entity_id = ? ORDER BY at, id",
                arguments: [String(id)]
            )
            let history = try AuditEntry.read(db, entries, tenant: tenant, basePath: base).map {
                ["at": $0.at, "what": $0.sentence, "changes": $0.changes]
            }
            return (Self.line(row, base: base, canWrite: canWrite, tenant: tenant), row["local_date"], history)
        }
        let data: [String: Any] = [
            "appointment": line, "date": date, "day": ReadableTime.day(date), "history": history, "hasHistory": !history.isEmpty,
        ]
        let notice = request.uri.queryParameters.get("changed") == "1" ? line.changeNotice : nil
        return pages.page(context, "show", title: "Appointment \(date) \(line.time)", data: data, flash: notice)
    }

    package func newForm(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        var values = ["duration_minutes": "15"]
        if context.workBranches.count == 1 { values["branch"] = context.workBranches[0] }  // the only branch the user can book in
        let typed = request.uri.queryParameters.get("patient") ?? ""
        let picker = try await context.storage.database().read { db in try PatientPicker.opened(for: typed, db) }
        return try await form(context, values: values, errors: [:], picker: picker)
    }

    package func create(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let database = try await context.storage.database()
        let numbering = context.tenant.phoneNumbering
        let picker = try await database.read { db in try PatientPicker(form: body, numbering: numbering, db) }
        var values = body.values
        for name in ["patient", "patient_searched", "confirm_past"] { values[name] = nil }
        values["patient_id"] = picker.patient.map { String($0.id) } ?? ""
        var fields = try FormBody(values: values).fields(
            allowed: AppointmentForm.bookingFields,
            integers: ["patient_id", "practitioner_id", "duration_minutes"]
        )
        var form = AppointmentForm()
        form.apply(&fields, tenant: context.tenant, isNew: true)
        var errors = fields.errors
        errors["patient_id"] = nil  // the picker says what is wrong with the patient
        if let branch = form.branch, !context.user.mayActIn(branch: branch) {
            errors["branch"] = "you may book only in \(context.user.branches.joined(separator: ", "))"
        }
        let passed = errors["start"] == nil ? Self.passedTime(form.start, confirmed: body["confirm_past"] != nil, tenant: context.tenant) : nil
        if let passed { errors["start"] = passed }
        guard errors.isEmpty, picker.patient != nil else {
            let status: HTTPResponse.Status = errors.isEmpty && picker.problem == nil ? .ok : .unprocessableContent
            return try await self.form(
                context,
                values: body.values,
                errors: errors,
                status: status,
                picker: picker,
                asksAboutPassedTime: passed != nil
            )
        }
        let (actor, tenant) = (context.actor, context.tenant)
        do {
            _ = try await database.write { [form] db in try AppointmentRecords.create(db, form, tenant: tenant, actor: actor) }
            return Pages.seeOther("\(context.basePath)/appointments?date=\(form.start?.localDate.description ?? "")&booked=1")
        } catch let problem as Problem where problem.status == .conflict || problem.status == .unprocessableContent {
            return try await self.form(
                context,
                values: body.values,
                errors: problem.fieldErrors,
                status: problem.status,
                message: problem.detail,
                picker: picker
            )
        }
    }

    /// Rescheduling: a scheduled appointment's time, length, practitioner, branch and reason.
    package func editForm(_: Request, _ context: PageRequestContext) async throws -> Response {
        let id = try context.recordID(entity: "appointment")
        let branches = context.user.branchFilter
        let values = try await context.storage.database().read { db -> [String: String] in
            try AppointmentRecords.changes.requireVisible(db, id: id, branches: branches)
            let row = try AppointmentRecords.changes.current(db, id: id)
            let number = try String.fetchOne(db, sql: "SELECT number FROM patients WHERE id = ?", arguments: [row["patient_id"] as Int64]) ?? ""
            return [
                "patient_number": number, "practitioner_id": String(row["practitioner_id"] as Int64), "branch": row["branch"],
                "start": row["local_start"],
                "duration_minutes": String(row["duration_minutes"] as Int64), "reason": row["reason"] ?? "",
                "version": String(row["version"] as Int64),
            ]
        }
        return try await form(context, values: values, errors: [:], editing: id)
    }

    package func reschedule(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let id = try context.recordID(entity: "appointment")
        let version = Int64(body["version"] ?? "") ?? 0
        var values = body.values
        for name in ["patient_number", "patient", "patient_searched"] { values[name] = nil }  // the patient of a booking does not change
        let fields = try FormBody(values: values).fields(
            allowed: AppointmentForm.bookingFields,
            integers: ["practitioner_id", "duration_minutes"],
            ignoring: ["csrf_token", "version", "confirm_past"]
        )
        let stored = try await context.storage.database().read { db in
            try String.fetchOne(db, sql: "SELECT local_start FROM appointments WHERE id = ?", arguments: [id])
        }
        if let typed = body["start"], typed != stored,
            let passed = Self.passedTime(
                LocalDateTime(typed, timeZone: context.tenant.timeZone),
                confirmed: body["confirm_past"] != nil,
                tenant: context.tenant
            )
        {
            return try await form(
                context,
                values: body.values,
                errors: ["start": passed],
                status: .unprocessableContent,
                editing: id,
                asksAboutPassedTime: true
            )
        }
        do {
            let date = try await change(id, version: version, fields: fields, context)
            return Pages.seeOther("\(context.basePath)/appointments?date=\(date)")
        } catch let problem as Problem where [.unprocessableContent, .conflict, .forbidden].contains(problem.status) {
            return try await form(
                context,
                values: body.values,
                errors: problem.fieldErrors,
                status: problem.status,
                message: problem.detail,
                editing: id
            )
        }
    }

    /// A time that has passed is booked only when ticked: the likelier mistake is a day typed wrong, and the tick
    /// is there for recording a visit that took place. Nil when the time is still to come or was confirmed.
    private static func passedTime(_ start: LocalDateTime?, confirmed: Bool, tenant: Tenant) -> String? {
        guard let start, start.instant < Date(), !confirmed else { return nil }
        return "\(tenant.readableTime.moment(start.local)) has passed; to record an appointment that took place, tick “Book a time that has passed”"
    }

    private func form(
        _ context: PageRequestContext,
        values: [String: String],
        errors: [String: String],
        status: HTTPResponse.Status = .ok,
        message: String? = nil,
        editing: Int64? = nil,
        picker: PatientPicker? = nil,
        asksAboutPassedTime: Bool = false
    ) async throws -> Response {
        // Those who see patients, and the one already booked (who may no longer be) when rescheduling.
        let current = editing.flatMap { _ in Int64(values["practitioner_id"] ?? "") }
        let practitioners = try await context.storage.database().read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT id, display_name FROM users WHERE (active = 1 AND \(User.seesPatientsSQL)) OR id = ? ORDER BY display_name",
                arguments: [current]
            ).map { (String($0["id"] as Int64), $0["display_name"] as String) }
        }
        let branches = context.workBranches.map { ($0, context.tenant.branchName($0)) }
        func field(_ name: String, _ label: String, _ kind: FormField.Kind, required: Bool = true, errorKey: String? = nil) -> FormField {
            FormField(name: name, label: label, kind: kind, value: values[name] ?? "", required: required, error: errors[errorKey ?? name])
        }
        var fields = [
            field("practitioner_id", "Practitioner", .select(options: [("", "—")] + practitioners)),
            field("branch", "Branch", .select(options: [("", "—")] + branches)),
            field("start", "Date and time (\(context.tenant.definition.timezone))", .input(type: "datetime-local")),
            field("duration_minutes", "Duration", .select(options: [15, 20, 30, 45, 60, 90].map { (String($0), "\($0) minutes") })),
            field("reason", "Reason", .textArea, required: false),
        ]
        if asksAboutPassedTime || values["confirm_past"] != nil {  // asked, or already ticked
            fields.insert(
                FormField(
                    name: "confirm_past",
                    label: "Book a time that has passed",
                    kind: .checkbox,
                    value: values["confirm_past"] == nil ? "" : "true"
                ),
                at: 3
            )
        }
        let title = editing == nil ? "Book an appointment" : "Reschedule the appointment"
        var data: [String: Any] = [
            "title": title, "fields": fields, "hasErrors": !errors.isEmpty,
            "action": "\(context.basePath)/appointments" + (editing.map { "/\($0)" } ?? ""), "button": editing == nil ? "Book" : "Save",
        ]
        if editing != nil { data["patientNumber"] = values["patient_number"] ?? "" }
        if let picker, editing == nil {
            data["picker"] = picker.field
            if let notice = picker.message, picker.problem == nil { data["notice"] = notice }
            if picker.problem != nil { data["hasErrors"] = true }
        }
        if let version = values["version"], editing != nil { data["version"] = version }
        if let message { data["message"] = message }
        return pages.page(context, "form", title: title, data: data, status: status)
    }

    package func changeStatus(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let id = try context.recordID(entity: "appointment")
        // Cancelling and marking a no-show are never one click: each asks first.
        if body["status"] == AppointmentStatus.cancelled.rawValue { return Pages.seeOther("\(context.basePath)/appointments/\(id)/cancel") }
        if body["status"] == AppointmentStatus.noShow.rawValue, body["confirmed"] != "yes" {
            return Pages.seeOther("\(context.basePath)/appointments/\(id)/no-show")
        }
        let version = Int64(body["version"] ?? "") ?? 0
        let fields = try body.fields(allowed: ["status"], ignoring: ["csrf_token", "version", "from", "confirmed"])
        let date = try await change(id, version: version, fields: fields, context)
        // Back where the button was pressed, saying what changed: the appointment's own page, or its day with the
        // focus on its row (the fragment moves it there without JavaScript, so the next Tab is in that row).
        return Pages.seeOther(
            body["from"] == "detail"
                ? "\(context.basePath)/appointments/\(id)?changed=1" : "\(context.basePath)/appointments?date=\(date)&changed=\(id)#appointment-\(id)"
        )
    }

    /// The appointment a confirmation asks about, as the day shows it with the buttons for someone who may change it,
    /// its local start and day, and its version.
    private func confirming(_ id: Int64, _ context: PageRequestContext) async throws -> (line: Line, localStart: String, date: String, version: Int64)
    {
        let (base, tenant, branches) = (context.basePath, context.tenant, context.user.branchFilter)
        return try await context.storage.database().read { db in
            try AppointmentRecords.changes.requireVisible(db, id: id, branches: branches)
            let row = try Row.fetchOne(
                db,
                sql: "SELECT \(Self.lineColumns), appointments.local_date FROM appointments \(AppointmentsAPI.joins) WHERE appointments.id = ?",
                arguments: [id]
            )!
            return (Self.line(row, base: base, canWrite: true, tenant: tenant), row["local_start"], row["local_date"], row["version"])
        }
    }

    /// "Cancel the appointment of Ada Lovelace on 1 Dec 2026 at 09:00?", with a reason to give.
    package func confirmCancel(_: Request, _ context: PageRequestContext) async throws -> Response {
        try await confirmCancel(context, reason: "", error: nil)
    }

    package func confirmCancel(
        _ context: PageRequestContext,
        reason: String,
        error: String?,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let id = try context.recordID(entity: "appointment")
        let (base, tenant) = (context.basePath, context.tenant)
        let (line, localStart, date, version) = try await confirming(id, context)
        guard line.cancelHref != nil else {
            throw Problem(
                .conflict,
                title: "Cannot be cancelled",
                detail:
                    "This appointment is \(line.status.replacingOccurrences(of: "_", with: " ")); only a scheduled or checked-in one can be cancelled."
            )
        }
        let when = tenant.readableTime.moment(localStart)
        let data: [String: Any] = [
            "question": "Cancel the appointment of \(line.patient) on \(when)?",
            "consequence": "The time becomes free for others. You can restore the appointment today, if the time is still free.",
            "action": "\(context.basePath)/appointments/\(id)/cancel", "button": "Cancel appointment", "cancelLabel": "Keep the appointment",
            "cancel": "\(base)/appointments?date=\(date)#appointment-\(id)",
            "hidden": [["name": "version", "value": String(version)]],
            "fields": [
                FormField(name: "cancel_reason", label: "Reason (shown in the history)", kind: .textArea, value: reason, required: true, error: error)
            ],
        ]
        return pages.page(context, core: "admin/confirm", title: "Cancel appointment", data: data, status: status)
    }

    /// "Mark Ada Lovelace as not attending the appointment on 1 Dec 2026 at 09:00?" — once it has started.
    package func confirmNoShow(_: Request, _ context: PageRequestContext) async throws -> Response {
        let id = try context.recordID(entity: "appointment")
        let (base, tenant) = (context.basePath, context.tenant)
        let (line, localStart, date, version) = try await confirming(id, context)
        let when = tenant.readableTime.moment(localStart)
        guard line.actions.contains(where: { $0["status"] == AppointmentStatus.noShow.rawValue }) else {
            throw Problem(
                .conflict,
                title: "Not a no-show",
                detail: line.status == AppointmentStatus.scheduled.rawValue
                    ? "The appointment starts \(when); a patient is marked as not attended only after that."
                    : "This appointment is \(line.status.spacedWords)."
            )
        }
        let data: [String: Any] = [
            "question": "Mark \(line.patient) as not attending the appointment on \(when)?",
            "consequence": "The appointment is counted as missed. If the patient arrives after all, restore it today and check them in.",
            "action": "\(base)/appointments/\(id)/status", "button": "Mark as not attended", "cancelLabel": "Keep the appointment",
            "cancel": "\(base)/appointments?date=\(date)#appointment-\(id)",
            "hidden": [
                ["name": "version", "value": String(version)], ["name": "status", "value": AppointmentStatus.noShow.rawValue],
                ["name": "confirmed", "value": "yes"],
            ],
        ]
        return pages.page(context, core: "admin/confirm", title: "No-show", data: data)
    }

    package func cancel(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let id = try context.recordID(entity: "appointment")
        let reason = body["cancel_reason"]?.trimmingSpaces ?? ""
        guard !reason.isEmpty else {
            return try await confirmCancel(context, reason: reason, error: "say why, for the history", status: .unprocessableContent)
        }
        let version = Int64(body["version"] ?? "") ?? 0
        let fields = RequestFields(object: ["status": .string(AppointmentStatus.cancelled.rawValue), "cancel_reason": .string(reason)])
        do {
            let date = try await change(id, version: version, fields: fields, context)
            return Pages.seeOther("\(context.basePath)/appointments?date=\(date)&changed=\(id)#appointment-\(id)")
        } catch let problem as Problem where problem.status == .unprocessableContent {
            return try await confirmCancel(
                context,
                reason: reason,
                error: problem.fieldErrors["cancel_reason"] ?? problem.detail,
                status: .unprocessableContent
            )
        }
    }

    /// Applies `fields` to appointment `id` at `version` as the signed-in user, and returns its local date.
    private func change(_ id: Int64, version: Int64, fields: RequestFields, _ context: PageRequestContext) async throws -> String {
        let (tenant, user, actor) = (context.tenant, context.user, context.actor)
        return try await context.storage.database().write { db -> String in
            try AppointmentRecords.update(db, id: id, version: version, fields: fields, tenant: tenant, user: user, actor: actor)
            return try String.fetchOne(db, sql: "SELECT local_date FROM appointments WHERE id = ?", arguments: [id]) ?? ""
        }
    }
}
