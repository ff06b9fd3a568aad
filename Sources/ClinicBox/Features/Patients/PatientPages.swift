import Foundation
import GRDB
import Hummingbird
import Mustache

/// `/patients` pages: find a patient (name, phone or number), see one, register and edit.
struct PatientPages {
    let pages: Pages

    var endpoints: [Endpoint<PageRequestContext>] {
        [
            .page(.get, "", "list", action: .patientsRead) { request, context in try await list(request, context) },
            .page(.get, "new", "new form", action: .patientsWrite) { _, context in try await newForm(context) },
            .page(.post, "", "create", action: .patientsWrite) { request, context in try await create(request, context) },
            .page(.get, "{id}", "show", action: .patientsRead) { request, context in try await show(request, context) },
            .page(.get, "{id}/edit", "edit form", action: .patientsWrite) { _, context in try await editForm(context) },
            .page(.post, "{id}", "update", action: .patientsWrite) { request, context in try await update(request, context) },
        ]
    }

    /// One line of the list. Values are ready to print (the link is made here, not from `base` and `id` in the
    /// template): each variable a template looks up costs swift-mustache a few dynamic casts, 50 times a page.
    struct Line: MustacheParent, Sendable {
        var id: Int64
        var version: Int64
        var href: String
        var number: String
        var name: String
        var dateOfBirth: String?
        var phone: String?
        var active: Bool

        func child(named key: String) -> Any? {
            switch key {
            case "href": href
            case "number": number
            case "name": name
            case "dateOfBirth": dateOfBirth
            case "phone": phone
            case "inactive": !active
            default: nil
            }
        }
    }

    private func list(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let q = query.get("q")?.trimmingSpaces ?? ""
        let showInactive = query.get("inactive") == "1"
        let page = try ListPage(request, sortKeys: PatientRoutes.sortKeys, defaultSort: "name")
        let database = try await context.storage.database()
        var conditions = PatientSearch.conditions(q)
        if !showInactive { conditions.add("patients.active = 1") }
        let (lines, next) = try await page.rows(
            database, columns: "patients.version, patients.number, patients.first_name, patients.last_name, patients.date_of_birth, patients.phone, patients.active",
            from: "patients", conditions: conditions
        ) { [base = context.basePath] row in
            Line(id: row["id"], version: row["version"], href: "\(base)/patients/\(row["id"] as Int64)", number: row["number"], name: "\(row["last_name"] as String), \(row["first_name"] as String)", dateOfBirth: row["date_of_birth"], phone: row["phone"], active: row["active"])
        }
        var data: [String: Any] = [
            "q": q, "showInactive": showInactive, "hasLines": !lines.isEmpty,
            "rows": pages.rows(lines, template: "patients/row", context, database: database) { ($0.id, $0.version) }, "canWrite": context.allows(.patientsWrite),
            "searched": !q.isEmpty,
        ]
        data["more"] = ListPage.nextPageLink(context.basePath + "/patients", cursor: next, keeping: [("q", q), ("inactive", showInactive ? "1" : "")])
        return pages.page(context, "patients/list", title: "Patients", section: "patients", data: data)
    }

    private func show(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let id = try context.recordID(entity: "patient")
        let row = try await context.storage.database().read { db in PatientDetails(row: try PatientRecords.changes.current(db, id: id)) }
        let notice = request.uri.queryParameters.get("saved") == "1" ? "Saved." : nil
        var data = row.fields
        data["canWrite"] = context.allows(.patientsWrite)
        return pages.page(context, "patients/show", title: row.title, section: "patients", data: data, flash: notice)
    }

    private func newForm(_ context: PageRequestContext) async throws -> Response {
        return form(context, title: "New patient", action: "/patients", values: [:], errors: [:])
    }

    private func editForm(_ context: PageRequestContext) async throws -> Response {
        let id = try context.recordID(entity: "patient")
        let values = try await context.storage.database().read { db in PatientDetails(row: try PatientRecords.changes.current(db, id: id)).formValues }
        return form(context, title: "Edit patient", action: "/patients/\(id)", values: values, errors: [:], version: values["version"])
    }

    private func create(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        var fields = try body.fields(allowed: PatientForm.fields.union(["allow_duplicate"]), checkboxes: ["active", "allow_duplicate"])
        var form = PatientForm()
        form.apply(&fields, today: .today(in: context.tenant.timeZone))
        let allowDuplicate = fields.bool("allow_duplicate") ?? false
        guard fields.errors.isEmpty else {
            return self.form(context, title: "New patient", action: "/patients", values: body.values, errors: fields.errors, status: .unprocessableContent)
        }
        let actor = context.actor
        do {
            let id = try await context.storage.database().write { [form] db in try PatientRecords.create(db, form, allowDuplicate: allowDuplicate, actor: actor) }
            return Pages.seeOther(context.basePath + "/patients/\(id)?saved=1")
        } catch let problem as Problem where problem.status == .conflict {
            return self.form(
                context, title: "New patient", action: "/patients", values: body.values, errors: problem.fieldErrors, status: .conflict,
                message: problem.detail, offerDuplicate: true
            )
        }
    }

    private func update(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let id = try context.recordID(entity: "patient")
        let fields = try body.fields(allowed: PatientForm.fields, checkboxes: ["active"], ignoring: ["csrf_token", "version"])
        let version = Int64(body["version"] ?? "") ?? 0
        let today = CalendarDate.today(in: context.tenant.timeZone)
        let actor = context.actor
        do {
            try await context.storage.database().write { db in
                try PatientRecords.update(db, id: id, version: version, fields: fields, today: today, actor: actor)
            }
            return Pages.seeOther(context.basePath + "/patients/\(id)?saved=1")
        } catch let problem as Problem where problem.status == .unprocessableContent || problem.status == .conflict {
            let message = problem.status == .conflict ? problem.detail : nil
            return form(
                context, title: "Edit patient", action: "/patients/\(id)", values: body.values, errors: problem.fieldErrors, version: body["version"],
                status: problem.status, message: message
            )
        }
    }

    /// The registration or edit form, showing `values` as typed and each error beside its field.
    private func form(
        _ context: PageRequestContext, title: String, action: String, values: [String: String], errors: [String: String], version: String? = nil,
        status: HTTPResponse.Status = .ok, message: String? = nil, offerDuplicate: Bool = false
    ) -> Response {
        func field(_ name: String, _ label: String, _ kind: FormField.Kind = .input(type: "text"), required: Bool = false, autocomplete: String? = nil) -> FormField {
            FormField(name: name, label: label, kind: kind, value: values[name] ?? "", required: required, autocomplete: autocomplete, error: errors[name])
        }
        let isNew = version == nil
        let fields: [FormField] = [
            field("first_name", "First name", required: true, autocomplete: "off"),
            field("last_name", "Last name", required: true, autocomplete: "off"),
            field("date_of_birth", "Date of birth", .input(type: "date")),
            field("sex", "Sex", .select(options: [("", "—")] + PatientForm.sexes.map { ($0, $0.capitalized) })),
            field("phone", "Phone", .input(type: "tel")),
            field("email", "Email", .input(type: "email")),
            field("address", "Address", .textArea),
            field("allergies", "Allergies", .textArea),
            field("notes", "Notes", .textArea),
            FormField(name: "active", label: "Active patient", kind: .checkbox, value: isNew && values.isEmpty ? "true" : values["active"] == nil ? "" : "true"),
        ]
        var data: [String: Any] = [
            "title": title, "action": context.basePath + action, "fields": fields, "hasErrors": !errors.isEmpty,
            "errorCount": errors.count, "offerDuplicate": offerDuplicate, "cancel": context.basePath + (isNew ? "/patients" : action),
        ]
        if let version { data["version"] = version }
        if let message { data["message"] = message }
        return pages.page(context, "patients/form", title: title, section: "patients", data: data, status: status)
    }
}

/// One patient as the detail page and the edit form show it.
struct PatientDetails: Sendable {
    var title: String
    var fields: [String: Any & Sendable]
    var formValues: [String: String]

    init(row: Row) {
        let first: String = row["first_name"], last: String = row["last_name"]
        title = "\(first) \(last)"
        let active: Bool = row["active"]
        var fields: [String: Any & Sendable] = [
            "id": row["id"] as Int64, "number": row["number"] as String, "name": title, "active": active, "version": row["version"] as Int64,
        ]
        var values: [String: String] = ["first_name": first, "last_name": last, "version": String(row["version"] as Int64)]
        if active { values["active"] = "true" }
        for column in ["date_of_birth", "sex", "phone", "email", "address", "allergies", "notes"] {
            guard let value = row[column] as String? else { continue }
            fields[column] = value
            values[column] = value
        }
        self.fields = fields
        self.formValues = values
    }
}
