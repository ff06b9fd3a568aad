import ClinicBoxCore
import GRDB
import Hummingbird
import Patients

/// The handlers of `/api/v1/patients/{id}/allergies` and `/problems` (declared in `ClinicalRoutes.swift`).
package struct ClinicalAPI {
    package func allergies(_: Request, _ context: AuthenticatedContext) async throws -> Response {
        let patient = try context.recordID(entity: "patient")
        return .json(bytes: ByteBuffer(string: try await context.storage.database().read { db in try PatientAllergies.json(db, patient: patient) }))
    }

    package func recordAllergy(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let patient = try context.recordID(entity: "patient")
        let fields = try await RequestFields.read(request, allowed: PatientAllergies.fields.names)
        let (user, actor, today) = (context.user, context.actor, CalendarDate.today(in: context.tenant.timeZone))
        return try await Idempotency.write(request, context, fields: fields) { db in
            var fields = fields
            let id = try PatientAllergies.create(db, patient: patient, &fields, today: today, by: user, actor: actor)
            return .init(status: .created, json: try PatientAllergies.entryJSON(db, patient: patient, id: id))
        }
    }

    package func changeAllergy(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let patient = try context.recordID(entity: "patient")
        let id = try context.recordID("allergy_id", entity: "allergy")
        var fields = try await RequestFields.read(request, allowed: PatientAllergies.fields.names.union(["version"]))
        let version = fields.integer("version", in: 1...Int64.max, required: true) ?? 0
        let (actor, today) = (context.actor, CalendarDate.today(in: context.tenant.timeZone))
        let json = try await context.storage.database().write { [fields] db in
            var fields = fields
            try PatientAllergies.update(db, patient: patient, id: id, version: version, &fields, today: today, actor: actor)
            return try PatientAllergies.entryJSON(db, patient: patient, id: id)
        }
        return .json(bytes: ByteBuffer(string: json))
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
        let (tenant, reader) = (context.tenant, ChartReader(context.user))
        let database = try await context.storage.database()
        let actor = context.actor
        let (json, seen) = try await database.read { db in
            (
                try PatientTimeline.json(db, patient: patient, tenant: tenant, reader: reader, limit: limit),
                try ChartViews.seenRecently(db, patient: patient, actor: actor)
            )
        }
        let what = tenant.permissions.allows(reader.role, .clinicalRead) ? "chart (API)" : "chart header (API)"
        try await ChartViews.record(database, patient: patient, what: what, actor: actor, seenRecently: seen)
        return .json(bytes: ByteBuffer(string: json))
    }

    package func problems(_: Request, _ context: AuthenticatedContext) async throws -> Response {
        let patient = try context.recordID(entity: "patient")
        let database = try await context.storage.database()
        let json = try await database.read { db in try PatientProblems.json(db, patient: patient) }
        try await ChartViews.record(database, patient: patient, what: "problems (API)", actor: context.actor)
        return .json(bytes: ByteBuffer(string: json))
    }

    package func recordProblem(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let patient = try context.recordID(entity: "patient")
        let fields = try await RequestFields.read(request, allowed: PatientProblems.fields.names)
        let (user, actor, today) = (context.user, context.actor, CalendarDate.today(in: context.tenant.timeZone))
        return try await Idempotency.write(request, context, fields: fields) { db in
            var fields = fields
            let id = try PatientProblems.create(db, patient: patient, &fields, today: today, by: user, actor: actor)
            return .init(status: .created, json: try PatientProblems.entryJSON(db, patient: patient, id: id))
        }
    }

    package func changeProblem(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let patient = try context.recordID(entity: "patient")
        let id = try context.recordID("problem_id", entity: "problem")
        var fields = try await RequestFields.read(request, allowed: PatientProblems.fields.names.union(["version"]))
        let version = fields.integer("version", in: 1...Int64.max, required: true) ?? 0
        let (actor, today) = (context.actor, CalendarDate.today(in: context.tenant.timeZone))
        let json = try await context.storage.database().write { [fields] db in
            var fields = fields
            try PatientProblems.update(db, patient: patient, id: id, version: version, &fields, today: today, actor: actor)
            return try PatientProblems.entryJSON(db, patient: patient, id: id)
        }
        return .json(bytes: ByteBuffer(string: json))
    }
}
