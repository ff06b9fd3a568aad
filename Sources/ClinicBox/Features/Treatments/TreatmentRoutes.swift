import GRDB
import Hummingbird

/// `/api/v1/treatments`: a patient's plan with totals, adding procedures, marking them done, removing planned ones.
struct TreatmentRoutes {
    static let changes = RecordChanges(table: "treatments", entity: "treatment")
    static let json = """
        json_object(\(SQLJSON.columns("treatments", ["id", "patient_id", "tooth", "procedure", "status", "fee", "notes", "clinician_id", "done_on", "version", "created_at", "updated_at"])))
        """
    static let fields: Set<String> = ["patient_id", "tooth", "procedure", "status", "fee", "notes"]

    func register(on group: RouterGroup<AuthenticatedContext>) {
        group.get { request, context in try await list(request, context) }
        group.post { request, context in try await create(request, context) }
        group.get("plan") { request, context in try await plan(request, context) }
        group.get(":id") { _, context in try await show(context) }
        group.patch(":id") { request, context in try await update(request, context) }
        group.delete(":id") { _, context in try await remove(context) }
    }

    private func list(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        try await context.require("treatments.read")
        let page = try ListPage(request, sortKeys: [.init(name: "created", column: "id")], defaultSort: "created")
        var conditions = SQLConditions()
        if let patient = request.uri.queryParameters.get("patient_id", as: Int64.self) { conditions.add("treatments.patient_id = ?", [patient]) }
        if let status = request.uri.queryParameters.get("status") { conditions.add("treatments.status = ?", [status]) }
        return try await page.fetch(context.storage.database(), item: Self.json, from: "treatments", conditions: conditions)
    }

    /// `?patient_id=`: every treatment of the patient with planned, done and overall totals.
    private func plan(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        try await context.require("treatments.read")
        guard let patient = request.uri.queryParameters.get("patient_id", as: Int64.self) else {
            throw Problem(.badRequest, title: "Invalid parameters", detail: "Name the patient.", fieldErrors: ["patient_id": "is required"])
        }
        let json = try await context.storage.database().read { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM patients WHERE id = ?", arguments: [patient]) != nil else { throw RecordChanges.notFound("patient") }
            return try String.fetchOne(
                db,
                sql: """
                    SELECT json_object('patient_id', ?, 'items', json(coalesce((SELECT json_group_array(json(item)) FROM (
                            SELECT \(Self.json) AS item FROM treatments WHERE patient_id = ? ORDER BY tooth IS NULL, tooth, id)), '[]')),
                        'planned_total', coalesce(sum(CASE status WHEN 'planned' THEN fee END), 0),
                        'done_total', coalesce(sum(CASE status WHEN 'done' THEN fee END), 0),
                        'total', coalesce(sum(fee), 0))
                    FROM treatments WHERE patient_id = ?
                    """,
                arguments: [patient, patient, patient]
            )!
        }
        return .json(bytes: ByteBuffer(string: json))
    }

    private func show(_ context: AuthenticatedContext) async throws -> Response {
        try await context.require("treatments.read")
        let id = try context.recordID()
        return .json(bytes: ByteBuffer(string: try await context.storage.database().read { db in
            try SQLJSON.fetch(db, Self.json, from: "treatments", id: id, entity: "treatment")
        }))
    }

    /// Reads and validates the fields a request names over `current` (empty for a new treatment).
    private static func columns(_ fields: inout RequestFields, current: Row?, user: AuthenticatedUser, today: CalendarDate) -> [(String, DatabaseValue)] {
        var values: [String: DatabaseValue] = [:]
        if let current { for name in ["patient_id", "tooth", "procedure", "status", "fee", "notes", "clinician_id", "done_on"] { values[name] = current[name] } }
        let isNew = current == nil
        if isNew { values["patient_id"] = fields.integer("patient_id", in: 1...Int64.max, required: true).databaseValue }
        else if fields.has("patient_id") { fields.fail("patient_id", "cannot change; add the treatment to the other patient instead") }
        if fields.has("tooth") {
            let tooth = fields.integer("tooth", in: 11...85)
            if let tooth, !FDITooth.isValid(tooth) { fields.fail("tooth", "must be an FDI tooth number: 11–18, 21–28, 31–38, 41–48, or 51–55 … 81–85 for primary teeth") }
            values["tooth"] = tooth.databaseValue
        }
        if isNew || fields.has("procedure") { values["procedure"] = fields.text("procedure", required: true, maxLength: 200).databaseValue }
        if isNew || fields.has("fee") { values["fee"] = fields.money("fee", required: true).databaseValue }
        if fields.has("notes") { values["notes"] = fields.text("notes", maxLength: 2000).databaseValue }
        let before = current.map { $0["status"] as String } ?? "planned"
        var status = before
        if fields.has("status") { status = fields.choice("status", ["planned", "done"], required: true) ?? before }
        if before == "done", current != nil, fields.has("status") || fields.has("tooth") || fields.has("procedure") || fields.has("fee") {
            fields.fail(fields.has("status") ? "status" : "procedure", "a treatment that is done is part of the record and cannot change")
        }
        if status == "done", before != "done" || isNew {
            values["done_on"] = today.description.databaseValue
            values["clinician_id"] = user.id.databaseValue
        }
        values["status"] = status.databaseValue
        return ["patient_id", "tooth", "procedure", "status", "fee", "notes", "clinician_id", "done_on"].map { ($0, values[$0] ?? .null) }
    }

    private func create(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        try await context.require("treatments.write")
        var fields = try await RequestFields.read(request, allowed: Self.fields)
        let columns = Self.columns(&fields, current: nil, user: context.user, today: .today(in: context.tenant.timeZone))
        try fields.finish()
        let actor = context.actor
        return try await Idempotency.write(request, context, fields: fields) { db in
            let patient = columns.first { $0.0 == "patient_id" }!.1
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM patients WHERE id = ?", arguments: [patient]) != nil else {
                throw Problem(.unprocessableContent, title: "Invalid fields", detail: "Check patient_id.", fieldErrors: ["patient_id": "is not a patient of this tenant"])
            }
            let id = try Self.changes.insert(db, columns, actor: actor, action: "treatments.create")
            return .init(status: .created, json: try SQLJSON.fetch(db, Self.json, from: "treatments", id: id, entity: "treatment"))
        }
    }

    private func update(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        try await context.require("treatments.write")
        let id = try context.recordID()
        var fields = try await RequestFields.read(request, allowed: Self.fields.union(["version"]))
        let version = fields.integer("version", in: 1...Int64.max, required: true) ?? 0
        try fields.finish()
        let (actor, user, today) = (context.actor, context.user, CalendarDate.today(in: context.tenant.timeZone))
        let json = try await context.storage.database().write { [fields] db in
            var fields = fields
            let columns = Self.columns(&fields, current: try Self.changes.current(db, id: id), user: user, today: today)
            try fields.finish()
            try Self.changes.update(db, id: id, version: version, columns, actor: actor, action: "treatments.update")
            return try SQLJSON.fetch(db, Self.json, from: "treatments", id: id, entity: "treatment")
        }
        return .json(bytes: ByteBuffer(string: json))
    }

    /// Removes a planned treatment from the plan; done treatments are part of the clinical record and stay.
    private func remove(_ context: AuthenticatedContext) async throws -> Response {
        try await context.require("treatments.write")
        let id = try context.recordID()
        let actor = context.actor
        try await context.storage.database().write { db in
            let row = try Self.changes.current(db, id: id)
            guard row["status"] as String == "planned" else {
                throw Problem(.conflict, title: "Cannot remove", detail: "A treatment that is done is part of the clinical record and cannot be removed.")
            }
            try db.execute(sql: "DELETE FROM treatments WHERE id = ?", arguments: [id])
            try AuditLog.record(
                db, actor: actor, action: "treatments.delete", entityType: "treatment", entityID: String(id),
                changes: ["procedure": .init(before: row["procedure"], after: nil), "tooth": .init(before: (row["tooth"] as Int64?).map(String.init), after: nil)]
            )
        }
        return Response(status: .noContent)
    }
}
