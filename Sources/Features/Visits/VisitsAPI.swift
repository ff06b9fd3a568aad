import ClinicBoxCore
import Clinical
import GRDB
import Hummingbird
import Patients
import Prescriptions
import Treatments

/// The handlers of `/api/v1/visits` (declared in `VisitsModule.endpoints`). Reads of a visit are chart views.
package struct VisitsAPI {
    package static let statuses = ["open", "signed"]
    package static let sorting = ListPage.Sorting(
        [.init(name: "started_at", column: "started_at"), .init(name: "number", column: "id")],
        default: "-started_at"
    )

    package func list(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let query = ListQuery(request)
        let (patient, practitioner, day, status) = (query.id("patient_id"), query.id("practitioner_id"), query.date("date"), query.choice("status"))
        try query.finish()
        let page = try ListPage(request, sorting: Self.sorting)
        var conditions = try await context.branchConditions(request, column: "visits.branch")
        if let patient { conditions.add("visits.patient_id = ?", [patient]) }
        if let practitioner { conditions.add("visits.practitioner_id = ?", [practitioner]) }
        if let day { conditions.add("visits.visit_date = ?", [day.description]) }
        if let status { conditions.add("visits.status = ?", [status]) }
        let database = try await context.storage.database()
        let (response, patients) = try await page.fetch(
            database,
            item: VisitJSON.object,
            from: "visits",
            conditions: conditions,
            collecting: "visits.patient_id"
        )
        // A list of visits shows their notes: a chart view of every patient on the page.
        try await ChartViews.record(database, patients: patients, what: "visits (API)", actor: context.actor)
        return response
    }

    package func show(_: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id = try context.recordID(entity: "visit")
        let database = try await context.storage.database()
        let (json, patient, number) = try await database.read { db -> (String, Int64, String) in
            try VisitRecords.changes.requireVisible(db, id: id, branches: context.user.branchFilter)
            let row = try VisitRecords.changes.current(db, id: id)
            return (try VisitJSON.fetch(db, id: id), row["patient_id"], row["number"])
        }
        try await ChartViews.record(database, patient: patient, what: "visit \(number) (API)", actor: context.actor)
        return .json(bytes: ByteBuffer(string: json))
    }

    package func create(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        var fields = try await RequestFields.read(
            request,
            allowed: VisitContent.fieldNames.union(["patient_id", "branch", "appointment_id", "visit_date"])
        )
        let start = VisitRecords.Start(
            patientID: fields.integer("patient_id", in: 1...Int64.max),
            branch: fields.has("branch") ? fields.branch("branch", of: context.tenant) : nil,
            appointmentID: fields.integer("appointment_id", in: 1...Int64.max),
            date: fields.date("visit_date")
        )
        let content = VisitContent.read(&fields)
        content.checkPressure(&fields, current: nil)
        try fields.finish()
        if start.appointmentID != nil { try context.tenant.requireFeature("appointments", for: VisitsModule.appointmentsAdd) }
        if let branch = start.branch { try await context.requireBranch(branch) }
        let (user, actor, today, timeZone) = (context.user, context.actor, CalendarDate.today(in: context.tenant.timeZone), context.tenant.timeZone)
        let branches = context.user.branchFilter
        return try await Idempotency.write(request, context, fields: fields) { [content] db in
            let id = try VisitRecords.create(db, start, content: content, user: user, actor: actor, today: today, timeZone: timeZone)
            // From an appointment the branch is the appointment's: the user must work there too.
            try VisitRecords.changes.requireVisible(db, id: id, branches: branches)
            return .init(status: .created, json: try VisitJSON.fetch(db, id: id))
        }
    }

    package func update(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id = try context.recordID(entity: "visit")
        var fields = try await RequestFields.read(request, allowed: VisitContent.fieldNames.union(["version"]))
        let version = fields.integer("version", in: 1...Int64.max, required: true) ?? 0
        let content = VisitContent.read(&fields)
        let (user, actor, branches) = (context.user, context.actor, context.user.branchFilter)
        let json = try await context.storage.database().write { [fields] db in
            var fields = fields
            try VisitRecords.changes.requireVisible(db, id: id, branches: branches)
            content.checkPressure(&fields, current: try VisitRecords.changes.current(db, id: id))
            try fields.finish()
            try VisitRecords.update(db, id: id, version: version, content: content, user: user, actor: actor)
            return try VisitJSON.fetch(db, id: id)
        }
        return .json(bytes: ByteBuffer(string: json))
    }

    package func sign(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id = try context.recordID(entity: "visit")
        var fields = try await RequestFields.readIfSent(request, allowed: ["version"])
        let version = fields.integer("version", in: 1...Int64.max)
        try fields.finish()
        let (user, actor, branches) = (context.user, context.actor, context.user.branchFilter)
        let json = try await context.storage.database().write { db in
            try VisitRecords.changes.requireVisible(db, id: id, branches: branches)
            try VisitRecords.sign(db, id: id, version: version, user: user, actor: actor)
            return try VisitJSON.fetch(db, id: id)
        }
        return .json(bytes: ByteBuffer(string: json))
    }

    package func addAddendum(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id = try context.recordID(entity: "visit")
        var fields = try await RequestFields.read(request, allowed: ["text"])
        let text = fields.text("text", required: true, maxLength: VisitContent.noteLimit)
        try fields.finish()
        let (user, actor, branches) = (context.user, context.actor, context.user.branchFilter)
        return try await Idempotency.write(request, context, fields: fields) { db in
            try VisitRecords.changes.requireVisible(db, id: id, branches: branches)
            try VisitRecords.addAddendum(db, id: id, text: text ?? "", user: user, actor: actor)
            return .init(status: .created, json: try VisitJSON.fetch(db, id: id))
        }
    }
}
