import ClinicBoxCore
import GRDB
import Patients

/// Writing a patient's dental treatments, shared by the JSON API and the pages. A treatment that is done is part
/// of the clinical record: it cannot change or be removed.
package enum TreatmentRecords {
    package static let changes = RecordChanges(table: "treatments", entity: "treatment")

    /// Adds a treatment (columns from `columns`) for a patient of this tenant and returns its id.
    package static func create(_ db: Database, _ columns: [(String, DatabaseValue)], actor: AuditActor) throws -> Int64 {
        let patient = columns.first { $0.0 == "patient_id" }!.1
        guard case .int64(let id) = patient.storage else { throw Problem.invalid("patient_id", "is required") }
        try PatientFiling.require(db, patient: id)
        return try changes.insert(db, columns, actor: actor, action: "treatments.create")
    }

    package static func update(
        _ db: Database,
        id: Int64,
        version: Int64,
        fields: RequestFields,
        user: AuthenticatedUser,
        today: CalendarDate,
        procedures: [TenantDefinition.Procedure],
        actor: AuditActor
    ) throws {
        var fields = fields
        let columns = columns(&fields, current: try changes.current(db, id: id), user: user, today: today, procedures: procedures)
        try fields.finish()
        try changes.update(db, id: id, version: version, columns, actor: actor, action: "treatments.update")
    }

    /// Removes a planned treatment from the plan (audited); a done one is refused with a `409`.
    package static func remove(_ db: Database, id: Int64, actor: AuditActor) throws {
        let row = try changes.current(db, id: id)
        guard row["status"] as String == "planned" else {
            throw Problem(.conflict, title: "Cannot remove", detail: "A treatment that is done is part of the clinical record and cannot be removed.")
        }
        try db.execute(sql: "DELETE FROM treatments WHERE id = ?", arguments: [id])
        try AuditLog.record(
            db,
            actor: actor,
            action: "treatments.delete",
            entityType: "treatment",
            entityID: String(id),
            changes: [
                "procedure": .init(before: row["procedure"], after: nil),
                "tooth": .init(before: (row["tooth"] as Int64?).map(String.init), after: nil),
            ]
        )
    }

    /// What a dentist writes on a plan item, described once: the API's allowed names, the JSON and the OpenAPI
    /// schema come from this list; `columns` reads and checks each (FDI teeth, surfaces, the tenant's procedures).
    package static let fields = RecordFields([
        .ruled("tooth", "Tooth", .integer(nullable: true, description: "FDI: 11–48, or 51–85 for primary teeth")),
        .ruled(
            "surfaces",
            "Surfaces",
            .string(
                nullable: true,
                description: "the tooth's surfaces it covers: \(ToothSurfaces.rule); stored as M, O, D, B, L in that order",
                maxLength: 20
            )
        ),
        .ruled(
            "procedure_code",
            "Procedure code",
            .string(
                nullable: true,
                description: "a code of the tenant file's procedures: fills procedure and fee when they are not given",
                maxLength: 20
            )
        ),
        .ruled("procedure", "Procedure", .text),
        .ruled("status", "Status", .choice(["planned", "done"])),
        .ruled("fee", "Fee", .money),
        .ruled("notes", "Notes", .optionalText),
    ])

    /// Every column a change starts from: the patient, the fields, and who did the work and when.
    package static let columnNames = ["patient_id"] + fields.all.map(\.name) + ["clinician_id", "done_on"]

    /// Reads and validates the fields a request names over `current` (empty for a new treatment). A
    /// `procedure_code` from the tenant's `procedures` fills the procedure's name and fee where they are not given.
    /// The columns of a new treatment from `fields`, with the tenant's procedure list and today's date.
    package static func newColumns(_ fields: inout RequestFields, _ context: some SignedInContext) -> [(String, DatabaseValue)] {
        let tenant = context.tenant
        return columns(&fields, current: nil, user: context.user, today: .today(in: tenant.timeZone), procedures: tenant.definition.procedures)
    }

    package static func columns(
        _ fields: inout RequestFields,
        current: Row?,
        user: AuthenticatedUser,
        today: CalendarDate,
        procedures: [TenantDefinition.Procedure]
    ) -> [(String, DatabaseValue)] {
        var values: [String: DatabaseValue] = [:]
        if let current { for name in columnNames { values[name] = current[name] } }
        let isNew = current == nil
        if isNew {
            values["patient_id"] = fields.integer("patient_id", in: 1...Int64.max, required: true).databaseValue
        } else if fields.has("patient_id") {
            fields.fail("patient_id", "cannot change; add the treatment to the other patient instead")
        }
        if fields.has("tooth") {
            let tooth = fields.integer("tooth", in: 11...85)
            if let tooth, !FDITooth.isValid(tooth) {
                fields.fail("tooth", "must be an FDI tooth number: 11–18, 21–28, 31–38, 41–48, or 51–55 … 81–85 for primary teeth")
            }
            values["tooth"] = tooth.databaseValue
        }
        if fields.has("surfaces") {
            let written = fields.text("surfaces", maxLength: 20)
            let surfaces = written.flatMap(ToothSurfaces.normalized)
            if let written, surfaces == nil { fields.fail("surfaces", "\(written.echoed) is not a set of surfaces; write \(ToothSurfaces.rule)") }
            values["surfaces"] = surfaces.databaseValue
        }
        var chosen: TenantDefinition.Procedure?
        if fields.has("procedure_code") {
            let code = fields.text("procedure_code", maxLength: 20)
            chosen = code.flatMap { code in procedures.first { $0.code.lowercased() == code.lowercased() } }
            if let code, chosen == nil {
                let known = procedures.map(\.code)
                fields.fail(
                    "procedure_code",
                    known.isEmpty
                        ? "this clinic lists no procedures; write the procedure instead"
                        : "\(code.echoed) is not one of this clinic's procedures: \(known.joined(separator: ", "))"
                )
            }
            values["procedure_code"] = chosen?.code.databaseValue ?? .null
        }
        if isNew || fields.has("procedure") || chosen != nil {
            let written = fields.has("procedure") || chosen == nil ? fields.text("procedure", required: chosen == nil, maxLength: 200) : nil
            values["procedure"] = (written ?? chosen?.name).databaseValue
        }
        if isNew || fields.has("fee") || chosen != nil {
            let written = fields.has("fee") || chosen == nil ? fields.money("fee", required: chosen == nil) : nil
            values["fee"] = (written ?? chosen?.fee).databaseValue
        }
        if values["surfaces"]?.isNull == false, values["tooth"]?.isNull != false {
            fields.fail("surfaces", "need a tooth; surfaces belong to one tooth")
        }
        if fields.has("notes") { values["notes"] = fields.text("notes", maxLength: 2000).databaseValue }
        let before = current.map { $0["status"] as String } ?? "planned"
        var status = before
        if fields.has("status") { status = fields.choice("status", ["planned", "done"], required: true) ?? before }
        if before == "done", current != nil, ["status", "tooth", "surfaces", "procedure_code", "procedure", "fee"].contains(where: fields.has) {
            fields.fail(fields.has("status") ? "status" : "procedure", "a treatment that is done is part of the record and cannot change")
        }
        if status == "done", before != "done" || isNew {
            values["done_on"] = today.description.databaseValue
            values["clinician_id"] = user.id.databaseValue
        }
        values["status"] = status.databaseValue
        return columnNames.map { ($0, values[$0] ?? .null) }
    }
}
