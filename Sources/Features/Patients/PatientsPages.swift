import ClinicBoxCore
import Foundation
import GRDB
import Hummingbird
import Mustache

/// `/patients` pages: find a patient (name, phone or number), see one, register and edit.
package struct PatientsPages {
    package let pages: ModulePages

    /// One line of the list. Values are ready to print (the link is made here, not from `base` and `id` in the
    /// template): each variable a template looks up costs swift-mustache a few dynamic casts, 50 times a page.
    package struct Line: TemplateValues, Sendable {
        package var id: Int64
        package var version: Int64
        package var href: String
        package var number: String
        package var name: String
        package var dateOfBirth: String?
        package var phone: String?
        package var active: Bool

        package static let templateNames: TemplateNames<Line> = [
            "href": { $0.href },
            "number": { $0.number },
            "name": { $0.name },
            "dateOfBirth": { $0.dateOfBirth },
            "phone": { $0.phone },
            "inactive": { !$0.active },
        ]
    }

    package func list(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let q = query.get("q")?.trimmingSpaces ?? ""
        let showInactive = query.get("inactive") == "1"
        let page = try ListPage(request, sorting: PatientsAPI.sorting)
        let database = try await context.storage.database()
        var conditions = PatientSearch.conditions(q, numbering: context.tenant.phoneNumbering)
        if !showInactive { conditions.add("patients.active = 1") }
        let (lines, next) = try await page.rows(
            database,
            columns:
                "patients.version, patients.number, patients.first_name, patients.last_name, patients.date_of_birth, patients.phone, patients.active",
            from: "patients",
            conditions: conditions
        ) { [base = context.basePath] row in
            Line(
                id: row["id"],
                version: row["version"],
                href: "\(base)/patients/\(row["id"] as Int64)",
                number: row["number"],
                name: "\(row["last_name"] as String), \(row["first_name"] as String)",
                dateOfBirth: (row["date_of_birth"] as String?).map(ReadableTime.day),
                phone: row["phone"],
                active: row["active"]
            )
        }
        var data: [String: Any] = [
            "q": q, "showInactive": showInactive, "hasLines": !lines.isEmpty,
            "rows": pages.rows(lines, template: "row", context, database: database) { ($0.id, $0.version) },
            "canWrite": context.allows(.patientsWrite), "canImport": context.allows(.patientsImport),
            "searched": !q.isEmpty,
        ]
        data["more"] = ListPage.nextPageLink(
            context.basePath + "/patients",
            cursor: next,
            keeping: [("q", q), ("inactive", showInactive ? "1" : "")]
        )
        return pages.page(context, "list", title: "Patients", data: data)
    }

    package func newForm(_: Request, _ context: PageRequestContext) async throws -> Response {
        form(context, title: "New patient", action: "/patients", values: [:], errors: [:])
    }

    package func editForm(_: Request, _ context: PageRequestContext) async throws -> Response {
        let id = try context.recordID(entity: "patient")
        let values = try await context.storage.database().read { db in PatientDetails(row: try PatientRecords.changes.current(db, id: id)).formValues
        }
        return form(context, title: "Edit patient", action: "/patients/\(id)", values: values, errors: [:], version: values["version"])
    }

    package func create(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        var fields = try body.fields(of: PatientForm.fields, alsoCheckboxes: ["confirm_new"])
        var form = PatientForm()
        form.apply(&fields, today: .today(in: context.tenant.timeZone), numbering: context.tenant.phoneNumbering)
        let confirmNew = fields.bool("confirm_new") ?? false
        guard fields.errors.isEmpty else {
            return self.form(
                context,
                title: "New patient",
                action: "/patients",
                values: body.values,
                errors: fields.errors,
                status: .unprocessableContent
            )
        }
        let actor = context.actor
        do {
            let id = try await context.storage.database().write { [form] db in
                try PatientRecords.create(db, form, confirmNew: confirmNew, actor: actor)
            }
            return Pages.seeOther(context.basePath + "/patients/\(id)?saved=1")
        } catch let problem as Problem where problem.status == .conflict {
            let candidates = try await context.storage.database().read { [form] db in try PatientDuplicates.candidates(db, form) }
            return self.form(
                context,
                title: "New patient",
                action: "/patients",
                values: body.values,
                errors: [:],
                status: .conflict,
                message: problem.pageText,
                candidates: candidates
            )
        }
    }

    package func update(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let id = try context.recordID(entity: "patient")
        let fields = try body.fields(of: PatientForm.fields, ignoring: ["csrf_token", "version"])
        let version = Int64(body["version"] ?? "") ?? 0
        let (today, numbering) = (CalendarDate.today(in: context.tenant.timeZone), context.tenant.phoneNumbering)
        let actor = context.actor
        do {
            try await context.storage.database().write { db in
                try PatientRecords.update(db, id: id, version: version, fields: fields, today: today, numbering: numbering, actor: actor)
            }
            return Pages.seeOther(context.basePath + "/patients/\(id)?saved=1")
        } catch let problem as Problem where problem.status == .unprocessableContent || problem.status == .conflict {
            let message = problem.status == .conflict ? problem.detail : nil
            return form(
                context,
                title: "Edit patient",
                action: "/patients/\(id)",
                values: body.values,
                errors: problem.fieldErrors,
                version: body["version"],
                status: problem.status,
                message: message
            )
        }
    }

    /// The registration or edit form, showing `values` as typed and each error beside its field.
    private func form(
        _ context: PageRequestContext,
        title: String,
        action: String,
        values: [String: String],
        errors: [String: String],
        version: String? = nil,
        status: HTTPResponse.Status = .ok,
        message: String? = nil,
        candidates: [PatientDuplicates.Candidate] = []
    ) -> Response {
        let isNew = version == nil
        // Names are typed fresh each time: a browser's suggestion from the last patient would be someone else's.
        var fields = PatientForm.fields.formFields(values: values, errors: errors)
        for index in fields.indices where ["first_name", "last_name"].contains(fields[index].name) { fields[index].autocomplete = "off" }
        var data: [String: Any] = [
            "title": title, "action": context.basePath + action, "fields": fields, "hasErrors": !errors.isEmpty,
            "errorCount": errors.count, "cancel": context.basePath + (isNew ? "/patients" : action),
            "hasCandidates": !candidates.isEmpty,
            "candidates": candidates.map {
                ["name": $0.name, "number": $0.number, "detail": $0.detail, "why": $0.why, "href": "\(context.basePath)/patients/\($0.id)"]
            },
        ]
        if let version { data["version"] = version }
        if let message { data["message"] = message }
        return pages.page(context, "form", title: title, data: data, status: status)
    }
}

/// One patient as the detail page and the edit form show it.
package struct PatientDetails: Sendable {
    package var title: String
    package var fields: [String: Any & Sendable]
    package var formValues: [String: String]

    package init(row: Row) {
        let first: String = row["first_name"]
        let last: String = row["last_name"]
        title = "\(first) \(last)"
        let active: Bool = row["active"]
        var fields: [String: Any & Sendable] = [
            "id": row["id"] as Int64, "number": row["number"] as String, "name": title, "active": active, "version": row["version"] as Int64,
        ]
        let values = PatientForm.fields.editValues(of: row)
        for (name, value) in values where !["first_name", "last_name", "active", "version"].contains(name) { fields[name] = value }
        self.fields = fields
        self.formValues = values
    }
}
