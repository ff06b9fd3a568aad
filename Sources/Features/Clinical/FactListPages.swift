import ClinicBoxCore
import Hummingbird

/// The chart's forms for a patient's allergies or problems: record one (form `allergy`), or change one's status
/// from its row (form `allergy-12`). Refused, the chart comes back with the message beside that form.
package struct FactListPages<List: PatientFactList>: Sendable {
    package let chart: ClinicalPages

    package func record(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let writer = try FactWriter(context)
        return try await chart.saving(request, context, form: List.changes.entity, body: body) {
            let fields = try body.fields(of: List.fields)
            _ = try await context.storage.database().write { db in
                var fields = fields
                return try List.create(db, &fields, writer)
            }
        }
    }

    package func change(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let (writer, entity) = (try FactWriter(context), List.changes.entity)
        let entry = try context.recordID(entity + "_id", entity: entity)
        let version = Int64(body["version"] ?? "") ?? 0
        return try await chart.saving(request, context, form: "\(entity)-\(entry)", body: body) {
            let fields = try body.fields(allowed: ["status"], ignoring: ["csrf_token", "version"])
            try await context.storage.database().write { db in
                var fields = fields
                try List.update(db, id: entry, version: version, &fields, writer)
            }
        }
    }
}
