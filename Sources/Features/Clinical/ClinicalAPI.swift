import ClinicBoxCore
import GRDB
import Hummingbird
import Patients

/// The handlers of `/api/v1/patients/{id}/allergies`, `/problems` and `/chart` that read (declared in
/// `ClinicalRoutes.swift`); recording and changing an entry is `FactListAPI`'s.
package struct ClinicalAPI {
    package func allergies(_: Request, _ context: AuthenticatedContext) async throws -> Response {
        let patient = try context.recordID(entity: "patient")
        return .json(bytes: ByteBuffer(string: try await context.storage.database().read { db in try PatientAllergies.json(db, patient: patient) }))
    }

    package func recordNoKnownAllergies(_: Request, _ context: AuthenticatedContext) async throws -> Response {
        let patient = try context.recordID(entity: "patient")
        let (user, actor) = (context.user, context.actor)
        let json = try await context.storage.database().write { db in
            try PatientAllergies.recordNone(db, patient: patient, by: user, actor: actor)
            return try PatientAllergies.json(db, patient: patient)
        }
        return .json(bytes: ByteBuffer(string: json))
    }

    package func chart(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let query = ListQuery(request)
        let limit = query.integer("limit") ?? PatientTimeline.shown
        try query.finish()
        let patient = try context.recordID(entity: "patient")
        let (tenant, user) = (context.tenant, context.user)
        let database = try await context.storage.database()
        let actor = context.actor
        let (json, seen, reader) = try await database.read { db in
            let reader = try ChartReader.reading(patient, by: user, db)
            return (
                try PatientTimeline.json(db, patient: patient, tenant: tenant, reader: reader, limit: limit),
                try ChartViews.seenRecently(db, patient: patient, actor: actor),
                reader
            )
        }
        if reader.emergency != nil {
            try await ChartViews.recordEvery(database, patient: patient, what: "chart (API, emergency access)", actor: actor)
        } else {
            let what = reader.may(.clinicalRead, tenant.permissions) ? "chart (API)" : "chart header (API)"
            try await ChartViews.record(database, patient: patient, what: what, actor: actor, seenRecently: seen)
        }
        return .json(bytes: ByteBuffer(string: json))
    }

    package func problems(_: Request, _ context: AuthenticatedContext) async throws -> Response {
        let patient = try context.recordID(entity: "patient")
        let database = try await context.storage.database()
        let json = try await database.read { db in try PatientProblems.json(db, patient: patient) }
        try await ChartViews.record(database, patient: patient, what: "problems (API)", actor: context.actor)
        return .json(bytes: ByteBuffer(string: json))
    }

}

/// Recording and changing an entry of a patient's allergies or problems through the API, one handler for each list.
package struct FactListAPI<List: PatientFactList>: Sendable {
    package init() {}

    package func record(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let writer = try FactWriter(context)
        let fields = try await RequestFields.read(request, allowed: List.fields.names)
        return try await Idempotency.write(request, context, fields: fields) { db in
            var fields = fields
            let id = try List.create(db, &fields, writer)
            return .init(status: .created, json: try List.entryJSON(db, patient: writer.patient, id: id))
        }
    }

    package func change(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let writer = try FactWriter(context)
        let entity = List.changes.entity
        let id = try context.recordID(entity + "_id", entity: entity)
        var fields = try await RequestFields.read(request, allowed: List.fields.names.union(["version"]))
        let version = fields.integer("version", in: 1...Int64.max, required: true) ?? 0
        let json = try await context.storage.database().write { [fields] db in
            var fields = fields
            try List.update(db, id: id, version: version, &fields, writer)
            return try List.entryJSON(db, patient: writer.patient, id: id)
        }
        return .json(bytes: ByteBuffer(string: json))
    }
}
