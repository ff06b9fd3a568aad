import ClinicBoxCore
import Clinical
import Documents
import Foundation
import GRDB
import Hummingbird
import Patients
import Prescriptions
import Treatments

/// `/visits`: who is waiting (checked in, no visit yet) and today's visits; start a visit from an appointment or for
/// a patient; write it, sign it after a confirmation, and add addenda to a signed one. Every view of a visit is a
/// chart view.
package struct VisitsPages {
    package let pages: ModulePages

    // MARK: Lists

    package func list(_: Request, _ context: PageRequestContext) async throws -> Response {
        let (base, time) = (context.basePath, context.tenant.readableTime)
        let today = CalendarDate.today(in: context.tenant.timeZone)
        let branches = context.workBranches
        let marks = branches.map { _ in "?" }.joined(separator: ", ")
        let waitingSQL = """
            SELECT a.id, a.local_start, p.first_name, p.last_name, p.number, u.display_name FROM appointments a
            JOIN patients p ON p.id = a.patient_id JOIN users u ON u.id = a.practitioner_id
            WHERE a.local_date = ? AND a.status = 'checked_in' AND a.branch IN (\(marks)) AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.appointment_id = a.id)
            ORDER BY a.starts_at
            """
        let visitsSQL = """
            SELECT v.id, v.number, v.started_at, v.status, v.practitioner_name, p.first_name, p.last_name, p.number AS patient_number FROM visits v
            JOIN patients p ON p.id = v.patient_id
            WHERE v.branch IN (\(marks)) AND (v.visit_date = ? OR (v.status = 'open' AND v.practitioner_id = ?)) ORDER BY v.started_at DESC LIMIT 100
            """
        let userID = context.user.id
        let (waiting, visits) = try await context.storage.database().read { db -> ([[String: String]], [[String: String]]) in
            let waiting =
                try db.tableExists("appointments")
                ? try Row.fetchAll(db, sql: waitingSQL, arguments: StatementArguments([today.description] + branches)).map {
                    row -> [String: String] in
                    [
                        "time": String((row["local_start"] as String).suffix(5)),
                        "patient": "\(row["first_name"] as String) \(row["last_name"] as String)", "patientNumber": row["number"] as String,
                        "practitioner": row["display_name"], "start": "\(base)/visits/new?appointment=\(row["id"] as Int64)",
                    ]
                }
                : []
            let visits = try Row.fetchAll(
                db,
                sql: visitsSQL,
                arguments: StatementArguments(branches + [today.description, userID] as [any DatabaseValueConvertible])
            ).map { row -> [String: String] in
                [
                    "href": "\(base)/visits/\(row["id"] as Int64)", "number": row["number"], "when": time.moment(row["started_at"]),
                    "patient": "\(row["first_name"] as String) \(row["last_name"] as String)", "patientNumber": row["patient_number"] as String,
                    "practitioner": row["practitioner_name"], "status": row["status"],
                ]
            }
            return (waiting, visits)
        }
        let data: [String: Any] = [
            "waiting": waiting, "hasWaiting": !waiting.isEmpty, "visits": visits, "hasVisits": !visits.isEmpty,
            "canStart": context.allows(.clinicalWrite), "withAppointments": context.tenant.features.contains("appointments"),
        ]
        return pages.page(context, "list", title: "Visits", data: data)
    }

    // MARK: Starting

    /// What a new visit starts from: a checked-in appointment (patient and branch fixed), or a patient to pick.
    private struct Origin: Sendable {
        package var appointmentID: Int64?
        package var patientID: Int64?
        package var patient: String?
        package var branch: String?
    }

    private func origin(_ appointment: Int64?, _ context: PageRequestContext) async throws -> Origin {
        guard let appointment else { return Origin() }
        try context.tenant.requireFeature("appointments", for: VisitsModule.appointmentsAdd)
        return try await context.storage.database().read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql:
                        "SELECT a.branch, p.id, p.first_name, p.last_name, p.number FROM appointments a JOIN patients p ON p.id = a.patient_id WHERE a.id = ?",
                    arguments: [appointment]
                )
            else { throw RecordChanges.notFound("appointment") }
            return Origin(
                appointmentID: appointment,
                patientID: row["id"],
                patient: "\(row["first_name"] as String) \(row["last_name"] as String) (\(row["number"] as String))",
                branch: row["branch"]
            )
        }
    }

    package func newForm(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let origin = try await origin(query.get("appointment").flatMap { Int64($0) }, context)
        return try await form(
            context,
            origin: origin,
            picker: PatientPicker(typed: query.get("patient") ?? ""),
            values: [:],
            errors: [:],
            patient: origin.patientID
        )
    }

    /// The visit's form, with the allergy banner of `patient` once the patient is known.
    private func form(
        _ context: PageRequestContext,
        origin: Origin?,
        picker: PatientPicker?,
        values: [String: String],
        errors: [String: String],
        visit: (id: Int64, number: String)? = nil,
        message: String? = nil,
        status: HTTPResponse.Status = .ok,
        patient: Int64?
    ) async throws -> Response {
        var data = VisitForm.data(values: values, errors: errors, dental: context.tenant.definition.domain == .dental)
        if let patient {
            let time = context.tenant.readableTime
            data["allergyBanner"] = try await context.storage.database().read { db in try AllergyBanner.read(db, patient: patient, time: time) }.data
        }
        data["hasErrors"] = !errors.isEmpty
        if let message { data["message"] = message }
        if let visit {
            data["title"] = "Visit \(visit.number)"
            data["action"] = "\(context.basePath)/visits/\(visit.id)"
            data["cancel"] = "\(context.basePath)/visits/\(visit.id)"
            data["version"] = values["version"] ?? ""
        } else {
            data["title"] = "New visit"
            data["action"] = "\(context.basePath)/visits"
            data["cancel"] = "\(context.basePath)/visits"
            if let origin, let appointment = origin.appointmentID {
                data["appointmentID"] = String(appointment)
                data["fixedPatient"] = origin.patient ?? ""
                data["fixedBranch"] = context.tenant.branchName(origin.branch ?? "")
            } else {
                data["picker"] = (picker ?? PatientPicker(typed: "")).field
                let branches = context.workBranches
                data["branches"] = context.branchOptions(branches, selected: values["branch"] ?? branches.first)
                if let error = errors["branch"] { data["branchError"] = error }
                data["dateField"] = FormField(
                    name: "visit_date",
                    label: "Day of the visit, if it took place earlier (from the paper history)",
                    kind: .input(type: "date"),
                    value: values["visit_date"] ?? "",
                    error: errors["visit_date"]
                )
            }
        }
        return pages.page(context, "form", title: data["title"] as? String ?? "Visit", data: data, status: status)
    }

    package func create(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let appointment = body["appointment_id"].flatMap { Int64($0) }
        let origin = try await origin(appointment, context)
        let database = try await context.storage.database()
        let numbering = context.tenant.phoneNumbering
        let picker = appointment == nil ? try await database.read { db in try PatientPicker(form: body, numbering: numbering, db) } : nil
        var (fields, rows) = VisitForm.fields(body)
        let content = VisitContent.read(&fields)
        content.checkPressure(&fields, current: nil)
        var errors = VisitForm.pageErrors(fields.errors, diagnosisRows: rows)
        if let problem = picker?.problem { errors["patient"] = problem }
        let branch = appointment == nil ? body["branch"] ?? "" : origin.branch ?? ""
        if !context.mayWork(in: branch) { errors["branch"] = "choose one of your branches" }
        // A visit from the paper history: its own day, in the past.
        let typedDate = appointment == nil ? body["visit_date"]?.trimmingSpaces ?? "" : ""
        let date = CalendarDate(typedDate)
        let today = CalendarDate.today(in: context.tenant.timeZone)
        if !typedDate.isEmpty, date == nil { errors["visit_date"] = "write the day the visit took place" }
        if let date, date > today { errors["visit_date"] = "must not be in the future" }
        guard errors.isEmpty, appointment != nil || picker?.patient != nil else {
            return try await form(
                context,
                origin: origin,
                picker: picker,
                values: body.values,
                errors: errors,
                status: errors.isEmpty ? .ok : .unprocessableContent,
                patient: origin.patientID ?? picker?.patient?.id
            )
        }
        let start = VisitRecords.Start(
            patientID: picker?.patient?.id,
            branch: appointment == nil ? branch : nil,
            appointmentID: appointment,
            date: date
        )
        let (user, actor, timeZone) = (context.user, context.actor, context.tenant.timeZone)
        do {
            let id = try await database.write { [content] db in
                try VisitRecords.create(db, start, content: content, user: user, actor: actor, today: today, timeZone: timeZone)
            }
            return Pages.seeOther("\(context.basePath)/visits/\(id)?saved=1")
        } catch let problem as Problem where problem.status == .unprocessableContent || problem.status == .conflict {
            return try await form(
                context,
                origin: origin,
                picker: picker,
                values: body.values,
                errors: problem.fieldErrors,
                message: problem.pageText,
                status: problem.status,
                patient: origin.patientID ?? picker?.patient?.id
            )
        }
    }

    // MARK: One visit

    package func show(_ request: Request, _ context: PageRequestContext) async throws -> Response { try await showPage(request, context) }

    /// `/visits/{id}/print`: the visit summary handed to the patient — the same record on the tenant's sheet,
    /// without forms (its view is audited like the page's).
    package func summary(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        try await showPage(request, context, printed: true)
    }

    package func showPage(
        _ request: Request,
        _ context: PageRequestContext,
        refusedDocument: RefusedDocument? = nil,
        printed: Bool = false
    ) async throws -> Response {
        let id = try context.recordID(entity: "visit")
        let (base, time, branches) = (context.basePath, context.tenant.readableTime, context.user.branchFilter)
        let database = try await context.storage.database()
        let (data, patient, banner) = try await database.read { db -> ([String: String], Int64, AllergyBanner) in
            try VisitRecords.changes.requireVisible(db, id: id, branches: branches)
            let row = try VisitRecords.changes.current(db, id: id)
            let person = try Row.fetchOne(
                db,
                sql: "SELECT first_name, last_name, number FROM patients WHERE id = ?",
                arguments: [row["patient_id"] as Int64]
            )
            var data: [String: String] = [
                "number": row["number"], "status": row["status"], "when": time.moment(row["started_at"]), "branchName": "",
                "branch": row["branch"], "practitioner": row["practitioner_name"], "version": String(row["version"] as Int64),
                "patient": person.map { "\($0["first_name"] as String) \($0["last_name"] as String) (\($0["number"] as String))" } ?? "",
                "patientHref": "\(base)/patients/\(row["patient_id"] as Int64)", "practitionerID": String(row["practitioner_id"] as Int64),
            ]
            for name in VisitContent.noteFields { if let text = row[name] as String? { data[name] = text } }
            for vital in Vital.all {
                guard let value = row[vital.name] as Double? else { continue }
                data[vital.name] = "\(RequestFields.plain(value)) \(vital.unit)"
                data[vital.name + "_flag"] = vital.flag(value)
            }
            if let bmi = Vital.bmi(weight: row["weight"], height: row["height"]) { data["bmi"] = RequestFields.plain(bmi) }
            if let signedAt = row["signed_at"] as String? {
                data["signed"] = "Signed by \(row["signed_by_name"] as String? ?? "?"), \(time.moment(signedAt))."
            }
            data["visitDate"] = row["visit_date"]
            if row["entered_later"] as Bool {
                data["when"] = (row["visit_date"] as String?).flatMap(CalendarDate.init).map(ReadableTime.day) ?? data["when"]
                data["enteredLater"] = "Entered later: recorded by \(row["practitioner_name"] as String), \(time.moment(row["created_at"]))."
            }
            // Why the patient came, as the desk booked it.
            if let appointment = row["appointment_id"] as Int64?, try db.tableExists("appointments"),
                let reason = try String.fetchOne(db, sql: "SELECT reason FROM appointments WHERE id = ?", arguments: [appointment])
            {
                data["appointmentReason"] = reason
            }
            if let number = person?["number"] as String? { data["patientNumber"] = number }
            return (data, row["patient_id"], try AllergyBanner.read(db, patient: row["patient_id"], time: time))
        }
        let documents = try await database.read { db in try PatientDocuments.list(db, patient: patient, visit: id) }
        // At a dental practice, the treatment plan's items done on the visit's day.
        let withTreatments = context.tenant.features.contains("treatments") && context.allows(.treatmentsRead)
        let treatments =
            withTreatments ? try await database.read { db in try Self.treatments(db, patient: patient, day: data["visitDate"] ?? "") } : []
        let withPrescriptions = context.tenant.features.contains("prescriptions") && context.allows(.prescriptionsRead)
        let prescriptions = withPrescriptions ? try await database.read { db in try Self.prescriptions(db, visit: id, base: base) } : []
        let (diagnoses, addenda) = try await database.read { db -> ([String], [[String: String]]) in
            let diagnoses = try Row.fetchAll(
                db,
                sql: "SELECT description, icd10_code FROM visit_diagnoses WHERE visit_id = ? ORDER BY id",
                arguments: [id]
            ).map { row in
                (row["icd10_code"] as String?).map { "\(row["description"] as String) (\($0))" } ?? (row["description"] as String)
            }
            let addenda = try Row.fetchAll(
                db,
                sql: "SELECT text, author_name, created_at FROM visit_addenda WHERE visit_id = ? ORDER BY id",
                arguments: [id]
            ).map { row -> [String: String] in
                ["text": row["text"], "by": "\(row["author_name"] as String), \(time.moment(row["created_at"]))"]
            }
            return (diagnoses, addenda)
        }
        if printed {
            try await ChartViews.recordPrinted(database, patient: patient, what: "visit \(data["number"] ?? "") summary", actor: context.actor)
        } else {
            try await ChartViews.record(database, patient: patient, what: "visit \(data["number"] ?? "")", actor: context.actor)
        }
        let open = data["status"] == "open"
        let mine = data["practitionerID"] == String(context.user.id)
        var page: [String: Any] = data
        page["id"] = String(id)
        page["allergyBanner"] = banner.data
        page["branchName"] = context.tenant.branchName(data["branch"] ?? "")
        page["statusText"] = open ? "open" : "signed"
        page["vitals"] =
            Vital.all.compactMap { vital in
                data[vital.name].map { ["label": vital.label, "value": $0, "flag": data[vital.name + "_flag"] ?? ""].filter { !$0.value.isEmpty } }
            }
            + (data["bmi"].map { [["label": "BMI", "value": $0]] } ?? [])
        page["hasVitals"] = !(page["vitals"] as! [[String: String]]).isEmpty
        page["notes"] = VisitContent.noteFields.compactMap { name in data[name].map { ["label": name.capitalized, "text": $0] } }
        page["diagnoses"] = diagnoses
        page["hasDiagnoses"] = !diagnoses.isEmpty
        page["addenda"] = addenda
        page["hasAddenda"] = !addenda.isEmpty
        page["canEdit"] = open && mine && context.allows(.clinicalWrite)
        page["canSign"] = open && mine && context.allows(.visitsSign)
        page["othersVisit"] = open && !mine
        page["canAmend"] = !open && context.allows(.clinicalWrite)
        page["hasDocuments"] = !documents.isEmpty
        page["documents"] = documents.map { document -> [String: String] in
            [
                "title": document.title, "size": document.sizeText, "uploadedBy": document.uploadedBy, "at": time.moment(document.at),
                "href": "\(base)/patients/\(patient)/documents/\(document.id)",
            ]
        }
        // Signed, the visit can be billed (its consultation type is chosen on the invoice's draft).
        if !open { page["workActions"] = context.workActions(patientNumber: data["patientNumber"] ?? "", branch: data["branch"] ?? "") }
        page["canFileDocuments"] = context.allows(.documentsWrite) && context.allows(.clinicalWrite)
        if withTreatments {
            (page["showTreatments"], page["treatments"], page["hasTreatments"]) = (true, treatments, !treatments.isEmpty)
            page["planHref"] = "\(base)/treatments?patient=\(data["patientNumber"] ?? "")"
        }
        if withPrescriptions {
            (page["showPrescriptions"], page["prescriptions"], page["hasPrescriptions"]) = (true, prescriptions, !prescriptions.isEmpty)
            if context.allows(.prescriptionsWrite) {
                page["prescribeHref"] = "\(base)/prescriptions/new?patient=\(data["patientNumber"] ?? "")&visit=\(id)"
            }
        }
        if let refusedDocument {
            page["documentError"] = refusedDocument.message
            page["documentTitle"] = refusedDocument.title
        }
        if let error = request.uri.queryParameters.get("addendum") {
            page["addendumError"] = error == "empty" ? "write the correction or addition" : error
        }
        if printed {
            return pages.printout(
                context,
                "summary-print",
                title: "Visit summary \(data["number"] ?? "")",
                paper: context.tenant.definition.printing.sheet,
                branch: data["branch"],
                back: "\(base)/visits/\(id)",
                data: page
            )
        }
        let flash = request.uri.queryParameters.get("saved") == "1" ? "Saved." : request.uri.queryParameters.get("signed") == "1" ? "Signed." : nil
        return pages.page(
            context,
            "show",
            title: "Visit \(data["number"] ?? "")",
            data: page,
            status: refusedDocument?.status ?? .ok,
            flash: refusedDocument == nil ? flash : nil
        )
    }

    /// The treatment plan's items of `patient` done on `day`: procedure and tooth.
    private static func treatments(_ db: Database, patient: Int64, day: String) throws -> [String] {
        try Row.fetchAll(
            db,
            sql: "SELECT procedure, tooth FROM treatments WHERE patient_id = ? AND done_on = ? ORDER BY id",
            arguments: [patient, day]
        ).map { row in
            (row["procedure"] as String) + ((row["tooth"] as Int64?).map { " on tooth \($0)" } ?? "")
        }
    }

    /// The prescriptions written at visit `id`: number, medicines and status, each linked.
    private static func prescriptions(_ db: Database, visit id: Int64, base: String) throws -> [[String: String]] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT r.id, r.number, r.status, (SELECT group_concat(medicine, ', ') FROM prescription_items WHERE prescription_id = r.id) AS medicines
                FROM prescriptions r WHERE r.visit_id = ? ORDER BY r.id
                """,
            arguments: [id]
        ).map {
            [
                "number": $0["number"], "medicines": $0["medicines"] ?? "", "status": ($0["status"] as String).spacedWords,
                "href": "\(base)/prescriptions/\($0["id"] as Int64)",
            ]
        }
    }

    package func editForm(_: Request, _ context: PageRequestContext) async throws -> Response {
        let id = try context.recordID(entity: "visit")
        let branches = context.user.branchFilter
        let user = context.user
        let (values, number, patient) = try await context.storage.database().read { db -> ([String: String], String, Int64) in
            try VisitRecords.changes.requireVisible(db, id: id, branches: branches)
            let row = try VisitRecords.openVisit(db, id: id, user: user, doing: "change")
            return (try VisitForm.values(db, visit: row), row["number"], row["patient_id"])
        }
        return try await form(context, origin: nil, picker: nil, values: values, errors: [:], visit: (id, number), patient: patient)
    }

    package func update(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let id = try context.recordID(entity: "visit")
        let version = Int64(body["version"] ?? "") ?? 0
        var (fields, rows) = VisitForm.fields(body)
        let content = VisitContent.read(&fields)
        let (user, actor, branches) = (context.user, context.actor, context.user.branchFilter)
        let database = try await context.storage.database()
        do {
            try await database.write { [fields] db in
                var fields = fields
                try VisitRecords.changes.requireVisible(db, id: id, branches: branches)
                content.checkPressure(&fields, current: try VisitRecords.changes.current(db, id: id))
                try fields.finish()
                try VisitRecords.update(db, id: id, version: version, content: content, user: user, actor: actor)
            }
            return Pages.seeOther("\(context.basePath)/visits/\(id)?saved=1")
        } catch let problem as Problem where problem.status == .unprocessableContent || problem.status == .conflict {
            let row = try await database.read { db in
                try Row.fetchOne(db, sql: "SELECT number, patient_id FROM visits WHERE id = ?", arguments: [id]).map {
                    ($0["number"] as String, $0["patient_id"] as Int64)
                }
            }
            let message = problem.status == .conflict ? problem.pageText : nil
            return try await form(
                context,
                origin: nil,
                picker: nil,
                values: body.values,
                errors: VisitForm.pageErrors(problem.fieldErrors, diagnosisRows: rows),
                visit: (id, row?.0 ?? ""),
                message: message,
                status: problem.status,
                patient: row?.1
            )
        }
    }

    package func confirmSign(_: Request, _ context: PageRequestContext) async throws -> Response {
        let id = try context.recordID(entity: "visit")
        let (number, version) = try await context.storage.database().read { db -> (String, Int64) in
            let row = try VisitRecords.changes.current(db, id: id)
            return (row["number"], row["version"])
        }
        let data: [String: Any] = [
            "question": "Sign visit \(number)?",
            "consequence": "Once signed, the visit can no longer change; corrections are added as addenda, with your name and the time.",
            "action": "\(context.basePath)/visits/\(id)/sign", "button": "Sign visit", "cancel": "\(context.basePath)/visits/\(id)",
            "hidden": [["name": "version", "value": String(version)]],
        ]
        return pages.page(context, core: "admin/confirm", title: "Sign visit", data: data)
    }

    package func sign(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let id = try context.recordID(entity: "visit")
        let version = Int64(body["version"] ?? "")
        let (user, actor, branches) = (context.user, context.actor, context.user.branchFilter)
        try await context.storage.database().write { db in
            try VisitRecords.changes.requireVisible(db, id: id, branches: branches)
            try VisitRecords.sign(db, id: id, version: version, user: user, actor: actor)
        }
        return Pages.seeOther("\(context.basePath)/visits/\(id)?signed=1")
    }

    package func addAddendum(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let id = try context.recordID(entity: "visit")
        let text = body["text"]?.trimmingSpaces ?? ""
        guard !text.isEmpty else { return Pages.seeOther("\(context.basePath)/visits/\(id)?addendum=empty#addendum") }
        let (user, actor, branches) = (context.user, context.actor, context.user.branchFilter)
        try await context.storage.database().write { db in
            try VisitRecords.changes.requireVisible(db, id: id, branches: branches)
            try VisitRecords.addAddendum(db, id: id, text: String(text.prefix(VisitContent.noteLimit)), user: user, actor: actor)
        }
        return Pages.seeOther("\(context.basePath)/visits/\(id)?saved=1")
    }
}
