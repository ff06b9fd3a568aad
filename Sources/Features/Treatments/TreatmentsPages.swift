import ClinicBoxCore
import Foundation
import GRDB
import Hummingbird
import Mustache
import Patients

/// `/treatments`: a patient's dental treatment plan (found by patient number) with its totals; adding a
/// procedure, marking one done, and removing a planned one after a confirmation.
package struct TreatmentsPages {
    package let pages: ModulePages

    package func editForm(_: Request, _ context: PageRequestContext) async throws -> Response { try await editFormPage(context) }

    /// A planned treatment's tooth, procedure, fee and notes (done work is fixed).
    package func editFormPage(_ context: PageRequestContext, refused: FormRefusal? = nil) async throws -> Response {
        let (values, errors, status) = (refused?.values, refused?.errors ?? [:], refused?.status ?? .ok)
        let id = try context.recordID(entity: "treatment")
        let currency = context.tenant.definition.currency
        let current = try await context.storage.database().read { db -> [String: String] in
            let row = try TreatmentRecords.changes.current(db, id: id)
            let number = try String.fetchOne(db, sql: "SELECT number FROM patients WHERE id = ?", arguments: [row["patient_id"] as Int64]) ?? ""
            var values: [String: String] = [
                "procedure": row["procedure"], "fee": Money.number(row["fee"], currency: currency),
                "version": String(row["version"] as Int64), "patient": number,
            ]
            if let tooth = row["tooth"] as Int64? { values["tooth"] = String(tooth) }
            if let surfaces = row["surfaces"] as String? { values["surfaces"] = surfaces }
            if let code = row["procedure_code"] as String? { values["procedure_code"] = code }
            if let notes = row["notes"] as String? { values["notes"] = notes }
            return values
        }
        let shown = values ?? current
        var data: [String: Any] = [
            "fields": Self.fields(shown, errors: errors, procedures: context.tenant.definition.procedures, currency: currency),
            "action": "\(context.basePath)/treatments/\(id)", "version": shown["version"] ?? "",
            "cancel": "\(context.basePath)/treatments?patient=\(current["patient"] ?? "")",
        ]
        if let message = errors["message"] { data["message"] = message }
        return pages.page(context, "edit", title: "Edit treatment", data: data, status: status)
    }

    package func update(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let id = try context.recordID(entity: "treatment")
        let version = Int64(body["version"] ?? "") ?? 0
        var values = body.values
        var errors: [String: String] = [:]
        if let fee = body["fee"], !fee.trimmingSpaces.isEmpty {
            if let amount = Money.parse(fee, currency: context.tenant.definition.currency) {
                values["fee"] = String(amount)
            } else {
                errors["fee"] = "write an amount like 45.00"
            }
        }
        guard errors.isEmpty else {
            return try await editFormPage(
                context,
                refused: FormRefusal(form: "edit", values: body.values, errors: errors, message: nil, status: .unprocessableContent)
            )
        }
        let fields = try FormBody(values: values).fields(
            allowed: TreatmentsAPI.fields,
            integers: ["tooth", "fee"],
            ignoring: ["csrf_token", "version"]
        )
        let (actor, user, today, procedures) = (
            context.actor, context.user, CalendarDate.today(in: context.tenant.timeZone), context.tenant.definition.procedures
        )
        do {
            try await context.storage.database().write { db in
                try TreatmentRecords.update(
                    db,
                    id: id,
                    version: version,
                    fields: fields,
                    user: user,
                    today: today,
                    procedures: procedures,
                    actor: actor
                )
            }
            return Pages.seeOther("\(context.basePath)/treatments?patient=\(try await patientNumber(of: id, context))&saved=1")
        } catch let problem as Problem where problem.status == .unprocessableContent || problem.status == .conflict {
            var errors = problem.fieldErrors
            if problem.status == .conflict { errors["message"] = problem.detail }
            return try await editFormPage(
                context,
                refused: FormRefusal(form: "edit", values: body.values, errors: errors, message: nil, status: problem.status)
            )
        }
    }

    /// The form's boxes: a procedure from the tenant's list (its name and fee fill in unless written), or one written
    /// in; the tooth and its surfaces; the fee; notes.
    package static func fields(
        _ values: [String: String],
        errors: [String: String],
        procedures: [TenantDefinition.Procedure],
        currency: String
    ) -> [FormField] {
        func field(_ name: String, _ label: String, _ kind: FormField.Kind = .input(type: "text"), required: Bool = false) -> FormField {
            FormField(name: name, label: label, kind: kind, value: values[name] ?? "", required: required, autocomplete: "off", error: errors[name])
        }
        let listed = !procedures.isEmpty
        let choices = [("", "Written in below")] + procedures.map { ($0.code, "\($0.name) (\(Money.format($0.fee, currency: currency)))") }
        return (listed ? [field("procedure_code", "Procedure from the list", .select(options: choices))] : []) + [
            field("procedure", listed ? "Or write the procedure" : "Procedure", required: !listed),
            field("tooth", "Tooth (FDI, e.g. 36; empty for the whole mouth)", .input(type: "number")),
            field("surfaces", "Surfaces (M, O, D, B/F, L/P; e.g. MOD)"),
            field("fee", listed ? "Fee (empty: the list's fee)" : "Fee", required: !listed), field("notes", "Notes", .textArea),
        ]
    }

    package struct Line: TemplateValues, Sendable {
        package var id: Int64
        package var version: Int64
        package var tooth: String
        package var surfaces: String?
        package var procedure: String
        package var fee: String
        package var done: Bool
        package var doneOn: String?
        package var base: String
        package var canWrite: Bool

        package static let templateNames: TemplateNames<Line> = [
            "tooth": { $0.tooth },
            "surfaces": { $0.surfaces },
            "procedure": { $0.procedure },
            "fee": { $0.fee },
            "done": { $0.done },
            "doneOn": { $0.doneOn },
            "version": { String($0.version) },
            "doneAction": { "\($0.base)/treatments/\($0.id)/done" },
            "removeHref": { "\($0.base)/treatments/\($0.id)/remove" },
            "editHref": { "\($0.base)/treatments/\($0.id)/edit" },
            "canChange": { $0.canWrite && !$0.done },
        ]
    }

    private struct Patient: Sendable {
        package var id: Int64
        package var number: String
        package var name: String
    }

    private static func findPatient(_ db: Database, number: String) throws -> Patient? {
        try Row.fetchOne(db, sql: "SELECT id, number, first_name, last_name FROM patients WHERE number = ? COLLATE NOCASE", arguments: [number]).map {
            Patient(id: $0["id"], number: $0["number"], name: "\($0["first_name"] as String) \($0["last_name"] as String)")
        }
    }

    package func plan(_ request: Request, _ context: PageRequestContext) async throws -> Response { try await planPage(request, context) }

    package func planPage(
        _ request: Request,
        _ context: PageRequestContext,
        values: [String: String] = [:],
        errors: [String: String] = [:],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let typed = (request.uri.queryParameters.get("patient") ?? values["patient"] ?? "").trimmingSpaces
        var data: [String: Any] = ["patientNumber": typed, "searched": !typed.isEmpty]
        if !typed.isEmpty {
            let (base, currency, canWrite, numbering) = (
                context.basePath, context.tenant.definition.currency, context.allows(.treatmentsWrite), context.tenant.phoneNumbering
            )
            let today = CalendarDate.today(in: context.tenant.timeZone)
            // The plan and its odontogram in one read: one snapshot, one pass to the database.
            let (outcome, found, chart) = try await context.storage.database().read {
                db -> (PatientPicker.Outcome, (Patient, [Line], [Int64])?, (Odontogram, number: String)?) in
                let outcome = try PatientPicker.choose(typed: typed, chosen: nil, numbering: numbering, db)
                guard case .patient(let match) = outcome,
                    let plan = try Self.loadPlan(db, number: match.number, base: base, currency: currency, canWrite: canWrite)
                else { return (outcome, nil, nil) }
                return (outcome, plan, try Odontogram.read(db, patient: plan.0.id, today: today))
            }
            data["odontogram"] = chart.map { chart, number in chart.svg { "?patient=\(number)&tooth=\($0)#add" } }
            if case .choices(let matches, let more) = outcome {
                data["choices"] = matches.map { ["name": $0.name, "detail": $0.detail, "href": "\(base)/treatments?patient=\($0.number)"] }
                data["more"] = more
                data["hasChoices"] = true
            }
            if case .problem(let text) = outcome { data["problem"] = text }
            if let (patient, lines, totals) = found {
                func field(_ name: String, _ label: String, _ kind: FormField.Kind = .input(type: "text"), required: Bool = true) -> FormField {
                    FormField(
                        name: name,
                        label: label,
                        kind: kind,
                        value: values[name] ?? "",
                        required: required,
                        autocomplete: "off",
                        error: errors[name]
                    )
                }
                data["patient"] = [
                    "name": patient.name, "number": patient.number, "id": String(patient.id), "href": "\(base)/patients/\(patient.id)",
                ]
                data["lines"] = lines
                data["hasLines"] = !lines.isEmpty
                data["planned"] = Money.format(totals[0], currency: currency)
                data["done"] = Money.format(totals[1], currency: currency)
                data["total"] = Money.format(totals[2], currency: currency)
                data["canWrite"] = canWrite
                var shown = values
                if shown["tooth"] == nil, let tooth = request.uri.queryParameters.get("tooth") { shown["tooth"] = tooth }  // a tooth of the chart
                data["fields"] = Self.fields(shown, errors: errors, procedures: context.tenant.definition.procedures, currency: currency)
            }
        }
        if let message = errors["form"] { data["message"] = message }
        let saved = request.uri.queryParameters.get("saved") == "1" ? "Treatment plan updated." : nil
        return pages.page(context, "plan", title: "Treatment plan", data: data, status: status, flash: saved)
    }

    private static func loadPlan(_ db: Database, number: String, base: String, currency: String, canWrite: Bool) throws -> (Patient, [Line], [Int64])?
    {
        guard let patient = try findPatient(db, number: number) else { return nil }
        let rows = try Row.fetchAll(
            db,
            sql:
                "SELECT id, version, tooth, surfaces, procedure, fee, status, done_on FROM treatments WHERE patient_id = ? ORDER BY tooth IS NULL, tooth, id",
            arguments: [patient.id]
        )
        var lines: [Line] = []
        for row in rows {
            let tooth: Int64? = row["tooth"]
            let status: String = row["status"]
            let fee: Int64 = row["fee"]
            lines.append(
                Line(
                    id: row["id"],
                    version: row["version"],
                    tooth: tooth.map(String.init) ?? "—",
                    surfaces: row["surfaces"],
                    procedure: row["procedure"],
                    fee: Money.format(fee, currency: currency),
                    done: status == "done",
                    doneOn: (row["done_on"] as String?).map(ReadableTime.day),
                    base: base,
                    canWrite: canWrite
                )
            )
        }
        let sums = try Row.fetchOne(
            db,
            sql: """
                SELECT coalesce(sum(CASE status WHEN 'planned' THEN fee END), 0) AS planned, coalesce(sum(CASE status WHEN 'done' THEN fee END), 0) AS done,
                    coalesce(sum(fee), 0) AS total FROM treatments WHERE patient_id = ?
                """,
            arguments: [patient.id]
        )
        let totals: [Int64] = [sums?["planned"] ?? 0, sums?["done"] ?? 0, sums?["total"] ?? 0]
        return (patient, lines, totals)
    }

    package func add(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let number = body["patient"] ?? ""
        let currency = context.tenant.definition.currency
        let database = try await context.storage.database()
        guard let patient = try await database.read({ db in try Self.findPatient(db, number: number) }) else {
            throw RecordChanges.notFound("patient")
        }
        var values = body.values
        values["patient"] = nil
        values["patient_id"] = String(patient.id)
        var feeError: String?
        if let fee = body["fee"], !fee.trimmingSpaces.isEmpty {
            if let amount = Money.parse(fee, currency: currency) { values["fee"] = String(amount) } else { feeError = "write an amount like 45.00" }
        }
        var fields = try FormBody(values: values).fields(allowed: TreatmentsAPI.fields, integers: ["patient_id", "tooth", "fee"])
        let columns = TreatmentRecords.newColumns(&fields, context)
        var errors = fields.errors
        if let feeError { errors["fee"] = feeError }
        guard errors.isEmpty else { return try await planPage(request, context, values: body.values, errors: errors, status: .unprocessableContent) }
        let actor = context.actor
        _ = try await database.write { db in try TreatmentRecords.create(db, columns, actor: actor) }
        return Pages.seeOther("\(context.basePath)/treatments?patient=\(patient.number)&saved=1")
    }

    private func patientNumber(of id: Int64, _ context: PageRequestContext) async throws -> String {
        try await context.storage.database().read { db in
            try String.fetchOne(db, sql: "SELECT p.number FROM treatments t JOIN patients p ON p.id = t.patient_id WHERE t.id = ?", arguments: [id])
        } ?? ""
    }

    package func markDone(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let id = try context.recordID(entity: "treatment")
        let version = Int64(body["version"] ?? "") ?? 0
        let fields = RequestFields(object: ["status": .string("done")])
        let (actor, user, today) = (context.actor, context.user, CalendarDate.today(in: context.tenant.timeZone))
        try await context.storage.database().write { db in
            try TreatmentRecords.update(db, id: id, version: version, fields: fields, user: user, today: today, procedures: [], actor: actor)
        }
        return Pages.seeOther("\(context.basePath)/treatments?patient=\(try await patientNumber(of: id, context))&saved=1")
    }

    /// Done work is fixed, so marking it done asks first.
    package func confirmDone(_: Request, _ context: PageRequestContext) async throws -> Response {
        let id = try context.recordID(entity: "treatment")
        let row = try await context.storage.database().read { db in
            try Row.fetchOne(
                db,
                sql:
                    "SELECT t.procedure, t.tooth, t.status, t.version, p.number, p.first_name, p.last_name FROM treatments t JOIN patients p ON p.id = t.patient_id WHERE t.id = ?",
                arguments: [id]
            ).map {
                (
                    procedure: $0["procedure"] as String, tooth: $0["tooth"] as Int64?, done: ($0["status"] as String) == "done",
                    version: $0["version"] as Int64,
                    number: $0["number"] as String, patient: "\($0["first_name"] as String) \($0["last_name"] as String)"
                )
            }
        }
        guard let row else { throw RecordChanges.notFound("treatment") }
        guard !row.done else {
            throw Problem(.conflict, title: "Already done", detail: "\(row.procedure) is already done; done work cannot be changed.")
        }
        let data: [String: Any] = [
            "question": "Mark \(row.procedure)\(row.tooth.map { " on tooth \($0)" } ?? "") done for \(row.patient)?",
            "consequence": "Done work is fixed: it cannot be changed or removed afterwards, and its fee counts as done.",
            "action": "\(context.basePath)/treatments/\(id)/done", "button": "Mark done", "cancelLabel": "Not yet",
            "cancel": "\(context.basePath)/treatments?patient=\(row.number)", "hidden": [["name": "version", "value": String(row.version)]],
        ]
        return pages.page(context, core: "admin/confirm", title: "Mark done", data: data)
    }

    package func confirmRemove(_: Request, _ context: PageRequestContext) async throws -> Response {
        let id = try context.recordID(entity: "treatment")
        let row = try await context.storage.database().read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT t.procedure, t.tooth, p.number FROM treatments t JOIN patients p ON p.id = t.patient_id WHERE t.id = ?",
                arguments: [id]
            )
            .map { (procedure: $0["procedure"] as String, tooth: $0["tooth"] as Int64?, number: $0["number"] as String) }
        }
        guard let row else { throw RecordChanges.notFound("treatment") }
        let data: [String: Any] = [
            "question": "Remove \(row.procedure)\(row.tooth.map { " on tooth \($0)" } ?? "") from the plan?",
            "consequence": "It is taken off the patient's treatment plan; the audit log keeps a record of the removal.",
            "action": "\(context.basePath)/treatments/\(id)/remove", "button": "Remove from plan",
            "cancel": "\(context.basePath)/treatments?patient=\(row.number)",
        ]
        return pages.page(context, core: "admin/confirm", title: "Remove treatment", data: data)
    }

    package func remove(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        _ = try await context.submittedForm(request)
        let id = try context.recordID(entity: "treatment")
        let number = try await patientNumber(of: id, context)
        let actor = context.actor
        try await context.storage.database().write { db in try TreatmentRecords.remove(db, id: id, actor: actor) }
        return Pages.seeOther("\(context.basePath)/treatments?patient=\(number)&saved=1")
    }
}
