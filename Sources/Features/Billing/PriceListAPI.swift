import ClinicBoxCore
import GRDB
import Hummingbird

/// `/api/v1/billing/services`: the price list.
package struct PriceListAPI {
    package static let json =
        "json_object('id', billing_services.id, \(ServiceForm.fields.jsonPairs(table: "billing_services")), \(SQLJSON.columns("billing_services", ["version", "created_at", "updated_at"])))"
    package static let sorting = ListPage.Sorting(
        [.init(name: "name", column: "sort_name"), .init(name: "code", column: "code")],
        default: "name"
    )

    /// `?q=` matches the code exactly or any part of the name; `?kind=` and `?active=` narrow it.
    package func list(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let query = ListQuery(request)
        let (q, kind, active) = (query.text("q"), query.choice("kind"), query.bool("active"))
        try query.finish()
        let page = try ListPage(request, sorting: Self.sorting)
        var conditions = Self.conditions(q: q, kind: kind)
        if let active { conditions.add("billing_services.active = ?", [active]) }
        return try await page.fetch(context.storage.database(), item: Self.json, from: "billing_services", conditions: conditions)
    }

    package static func conditions(q: String?, kind: String?) -> SQLConditions {
        var conditions = SQLConditions()
        if let q, !q.isEmpty {
            conditions.add(
                "(billing_services.code = ? OR billing_services.sort_name LIKE ? ESCAPE '\\')",
                [q, "%" + q.lowercased().likeEscaped + "%"]
            )
        }
        if let kind { conditions.add("billing_services.kind = ?", [kind]) }
        return conditions
    }

    package func show(_: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id = try context.recordID()
        let json = try await context.storage.database().read { db in
            try SQLJSON.fetch(db, Self.json, from: "billing_services", id: id, entity: "billing_service")
        }
        return .json(bytes: ByteBuffer(string: json))
    }

    package func create(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        var fields = try await RequestFields.read(request, allowed: ServiceForm.fields.names)
        var form = ServiceForm()
        form.apply(&fields, tax: context.tenant.definition.tax)
        try fields.finish()
        let actor = context.actor
        return try await Idempotency.write(request, context, fields: fields) { [form] db in
            let id = try ServiceRecords.create(db, form, actor: actor)
            return .init(status: .created, json: try SQLJSON.fetch(db, Self.json, from: "billing_services", id: id, entity: "billing_service"))
        }
    }

    package func update(_ request: Request, _ context: AuthenticatedContext) async throws -> Response {
        let id = try context.recordID()
        var fields = try await RequestFields.read(request, allowed: ServiceForm.fields.names.union(["version"]))
        let version = fields.integer("version", in: 1...Int64.max, required: true) ?? 0
        try fields.finish()
        let (actor, tax) = (context.actor, context.tenant.definition.tax)
        let json = try await context.storage.database().write { [fields] db in
            try ServiceRecords.update(db, id: id, version: version, fields: fields, tax: tax, actor: actor)
            return try SQLJSON.fetch(db, Self.json, from: "billing_services", id: id, entity: "billing_service")
        }
        return .json(bytes: ByteBuffer(string: json))
    }
}
