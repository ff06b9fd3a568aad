import ClinicBoxCore
import GRDB
import Hummingbird

/// The handlers of `/api/v1/patients` (declared in `PatientsModule.endpoints`): list and search, show, create
/// (with a duplicate check), and versioned update. Each runs after its endpoint's action was checked.
package struct PatientsAPI {
    package static let sorting = ListPage.Sorting(
        [.init(name: "name", column: "sort_name"), .init(name: "created_at", column: "created_at"), .init(name: "number", column: "number")],
        default: "name"
    )

    /// `?q=` matches a patient number exactly, a phone number by its digits, or any part of the name.
    package func list(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let query = ListQuery(request)
        let (q, active, born) = (query.text("q") ?? "", query.bool("active"), query.date("date_of_birth"))
        try query.finish()
        let page = try ListPage(request, sorting: Self.sorting)
        var conditions = PatientSearch.conditions(q, numbering: context.tenant.phoneNumbering)
        if let active { conditions.add("patients.active = ?", [active]) }
        if let born { conditions.add("patients.date_of_birth = ?", [born.description]) }
        return try await page.fetch(context.storage.database(), item: "patients.api_json", from: "patients", conditions: conditions)
    }

    /// One patient; a record merged into another answers `301` with the kept record's address.
    package func show(_: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id = try context.recordID()
        let (json, keptID) = try await context.storage.database().read { db in
            (try PatientJSON.fetch(db, id: id), try Int64.fetchOne(db, sql: "SELECT merged_into FROM patients WHERE id = ?", arguments: [id]))
        }
        if let keptID { return Response(status: .movedPermanently, headers: [.location: String(keptID), .cacheControl: "no-store"]) }
        return .json(bytes: ByteBuffer(string: json))
    }

    /// `POST /api/v1/patients/{id}/merge` `{"duplicate_id": …, "reason": …}`: the patient as it now reads.
    package func merge(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let kept = try context.recordID()
        var fields = try await RequestFields.read(request, allowed: ["duplicate_id", "reason"])
        let duplicate = fields.integer("duplicate_id", in: 1...Int64.max, required: true)
        let reason = fields.text("reason", required: true, maxLength: PatientMerge.reasonLimit)
        try fields.finish()
        let (user, actor) = (context.user, context.actor)
        let json = try await context.storage.database().write { db in
            _ = try PatientMerge.merge(db, duplicate: duplicate ?? 0, into: kept, reason: reason ?? "", by: user, actor: actor)
            return try PatientJSON.fetch(db, id: kept)
        }
        return .json(bytes: ByteBuffer(string: json))
    }

    package func create(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        var fields = try await RequestFields.read(
            request,
            allowed: PatientForm.fields.names.union(["confirm_new"]).union(PatientForm.movedFields.keys)
        )
        var form = PatientForm()
        form.apply(&fields, today: .today(in: context.tenant.timeZone), numbering: context.tenant.phoneNumbering)
        // Sent, it is true or false: a null is refused, as the schema says (schemathesis found it taken).
        let confirmNew = fields.bool("confirm_new", required: fields.has("confirm_new")) ?? false
        try fields.finish()
        let actor = context.actor
        return try await Idempotency.write(request, context, fields: fields) { [form] db in
            let id = try PatientRecords.create(db, form, confirmNew: confirmNew, actor: actor)
            return .init(status: .created, json: try PatientJSON.fetch(db, id: id))
        }
    }

    package func update(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id = try context.recordID()
        var fields = try await RequestFields.read(request, allowed: PatientForm.fields.names.union(["version"]).union(PatientForm.movedFields.keys))
        let version = fields.integer("version", in: 1...Int64.max, required: true)
        try fields.finish()
        let (today, numbering) = (CalendarDate.today(in: context.tenant.timeZone), context.tenant.phoneNumbering)
        let actor = context.actor
        let json = try await context.storage.database().write { [fields] db in
            try PatientRecords.update(db, id: id, version: version ?? 0, fields: fields, today: today, numbering: numbering, actor: actor)
            return try PatientJSON.fetch(db, id: id)
        }
        return .json(bytes: ByteBuffer(string: json))
    }
}
