import ClinicBoxCore
import GRDB
import Hummingbird
import Patients

/// `/api/v1/treatments`: a patient's plan with totals, adding procedures, marking them done, removing planned ones.
package struct TreatmentsAPI {
    package static let changes = TreatmentRecords.changes
    package static let sorting = ListPage.Sorting([.init(name: "created", column: "id")], default: "created")
    package static let json = """
        json_object(\(SQLJSON.columns("treatments", ["id", "patient_id"])), \(TreatmentRecords.fields.jsonPairs(table: "treatments")),
            \(SQLJSON.columns("treatments", ["clinician_id", "done_on", "version", "created_at", "updated_at"])))
        """
    package static let fields = TreatmentRecords.fields.names.union(["patient_id"])

    package func list(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let query = ListQuery(request)
        let (patient, status) = (query.id("patient_id"), query.choice("status"))
        try query.finish()
        let page = try ListPage(request, sorting: Self.sorting)
        var conditions = SQLConditions()
        if let patient { conditions.add("treatments.patient_id = ?", [patient]) }
        if let status { conditions.add("treatments.status = ?", [status]) }
        return try await page.fetch(context.storage.database(), item: Self.json, from: "treatments", conditions: conditions)
    }

    /// `?patient_id=`: every treatment of the patient with planned, done and overall totals.
    package func plan(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        var query = ListQuery(request)
        let patient = query.id("patient_id") ?? query.fail("patient_id", "is required")
        try query.finish()
        guard let patient else { return Response(status: .badRequest) }
        let json = try await context.storage.database().read { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM patients WHERE id = ?", arguments: [patient]) != nil else {
                throw RecordChanges.notFound("patient")
            }
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

    package func show(_: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id = try context.recordID()
        return .json(
            bytes: ByteBuffer(
                string: try await context.storage.database().read { db in
                    try SQLJSON.fetch(db, Self.json, from: "treatments", id: id, entity: "treatment")
                }
            )
        )
    }

    package func create(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        var fields = try await RequestFields.read(request, allowed: Self.fields)
        let columns = TreatmentRecords.newColumns(&fields, context)
        try fields.finish()
        let actor = context.actor
        return try await Idempotency.write(request, context, fields: fields) { db in
            let id = try TreatmentRecords.create(db, columns, actor: actor)
            return .init(status: .created, json: try SQLJSON.fetch(db, Self.json, from: "treatments", id: id, entity: "treatment"))
        }
    }

    package func update(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id = try context.recordID()
        var fields = try await RequestFields.read(request, allowed: Self.fields.union(["version"]))
        let version = fields.integer("version", in: 1...Int64.max, required: true) ?? 0
        try fields.finish()
        let (actor, user, today, procedures) = (
            context.actor, context.user, CalendarDate.today(in: context.tenant.timeZone), context.tenant.definition.procedures
        )
        let json = try await context.storage.database().write { [fields] db in
            try TreatmentRecords.update(db, id: id, version: version, fields: fields, user: user, today: today, procedures: procedures, actor: actor)
            return try SQLJSON.fetch(db, Self.json, from: "treatments", id: id, entity: "treatment")
        }
        return .json(bytes: ByteBuffer(string: json))
    }

    /// Removes a planned treatment from the plan; done treatments are part of the clinical record and stay.
    package func remove(_: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id = try context.recordID()
        let actor = context.actor
        try await context.storage.database().write { db in try TreatmentRecords.remove(db, id: id, actor: actor) }
        return Response(status: .noContent)
    }
}
