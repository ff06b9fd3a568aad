import ClinicBoxCore
import GRDB

/// Writing the price list, shared by the JSON API and the pages: a code belongs to one entry only, whatever its case.
package enum ServiceRecords {
    package static let changes = RecordChanges(table: "billing_services", entity: "billing_service")

    package static func create(_ db: Database, _ form: ServiceForm, actor: AuditActor) throws -> Int64 {
        try refuseTakenCode(db, form.code, except: nil)
        return try changes.insert(db, form.columns, actor: actor, action: "billing.service_create")
    }

    package static func update(_ db: Database, id: Int64, version: Int64, fields: RequestFields, tax: TenantDefinition.Tax, actor: AuditActor) throws
    {
        var fields = fields
        var form = ServiceForm(row: try changes.current(db, id: id))
        form.apply(&fields, tax: tax)
        try fields.finish()
        try refuseTakenCode(db, form.code, except: id)
        try changes.update(db, id: id, version: version, form.columns, actor: actor, action: "billing.service_update")
    }

    private static func refuseTakenCode(_ db: Database, _ code: String, except id: Int64?) throws {
        guard
            let other = try String.fetchOne(db, sql: "SELECT name FROM billing_services WHERE code = ? AND id IS NOT ?", arguments: [code, id])
        else { return }
        throw Problem(
            .conflict,
            title: "Code in use",
            detail: "The code \(code) already belongs to \(other).",
            fieldErrors: ["code": "is already used by \(other)"]
        )
    }
}
