import ClinicBoxCore
import Clinical
import Foundation
import GRDB
import Hummingbird
import Inventory
import Mustache
import Patients

/// `/prescriptions`: the clinic writes prescriptions (patient by number, up to five items) and cancels pending ones
/// after a confirmation; a pharmacy with `inventory` dispenses them from a branch's stock, item by item, by SKU.
package struct PrescriptionsPages {
    package let pages: ModulePages
    package static let itemRows = 5

    /// Notes can change at any time (items never do); versioned like every other edit.
    package func saveNotes(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let id = try context.recordID(entity: "prescription")
        let version = Int64(body["version"] ?? "") ?? 0
        let notes = body["notes"]?.trimmingSpaces ?? ""
        guard notes.count <= 2000 else {
            throw Problem(.unprocessableContent, title: "Invalid fields", detail: "Notes may be at most 2000 characters.")
        }
        let actor = context.actor
        try await context.storage.database().write { db in
            try PrescriptionRecords.changes.update(
                db,
                id: id,
                version: version,
                [("notes", (notes.isEmpty ? nil : notes).databaseValue)],
                actor: actor,
                action: "prescriptions.update"
            )
        }
        return Pages.seeOther("\(context.basePath)/prescriptions/\(id)?saved=1")
    }

    package struct Line: TemplateValues, Sendable {
        package var href: String
        package var number: String
        package var date: String
        package var patient: String
        package var patientNumber: String
        package var prescriber: String
        package var status: String

        package static let templateNames: TemplateNames<Line> = [
            "href": { $0.href },
            "number": { $0.number },
            "date": { $0.date },
            "patient": { $0.patient },
            "patientNumber": { $0.patientNumber },
            "prescriber": { $0.prescriber },
            "status": { $0.status.replacingOccurrences(of: "_", with: " ") },
        ]
    }

    /// Newest first, 50 a page; `q` finds a prescription number or a patient (by number, name or phone).
    package func list(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let statuses = PrescriptionsAPI.statuses
        let query = request.uri.queryParameters
        let status = query.get("status") ?? ""
        if !status.isEmpty, !statuses.contains(status) {
            throw Problem(
                .badRequest,
                title: "Invalid filter",
                detail: "Show one of: \(statuses.joined(separator: ", ")).",
                fieldErrors: ["status": "must be one of \(statuses.joined(separator: ", "))"]
            )
        }
        let q = query.get("q")?.trimmingSpaces ?? ""
        let page = try ListPage(request, sorting: PrescriptionsAPI.sorting)
        var conditions = SQLConditions()
        if !status.isEmpty { conditions.add("prescriptions.status = ?", [status]) }
        if !q.isEmpty {
            let patients = PatientSearch.conditions(q, numbering: context.tenant.phoneNumbering)
            conditions.add("(prescriptions.number = ? COLLATE NOCASE OR \(patients.predicate))", [q] + patients.arguments)
        }
        let base = context.basePath
        let (lines, next) = try await page.rows(
            context.storage.database(),
            columns:
                "prescriptions.number, prescriptions.prescribed_on, prescriptions.prescriber_name, prescriptions.status, patients.first_name, patients.last_name, patients.number AS patient_number",
            from: "prescriptions",
            joins: "JOIN patients ON patients.id = prescriptions.patient_id",
            conditions: conditions
        ) { row in
            Line(
                href: "\(base)/prescriptions/\(row["id"] as Int64)",
                number: row["number"],
                date: ReadableTime.day(row["prescribed_on"] as String),
                patient: "\(row["first_name"] as String) \(row["last_name"] as String)",
                patientNumber: row["patient_number"],
                prescriber: row["prescriber_name"],
                status: row["status"]
            )
        }
        let filters = [
            ("", "All"), ("pending", "Pending"), ("partially_dispensed", "Partly dispensed"), ("dispensed", "Dispensed"), ("cancelled", "Cancelled"),
        ].map {
            ["value": $0.0, "label": $0.1, "selected": $0.0 == status] as [String: Any]
        }
        var data: [String: Any] = [
            "q": q, "searched": !q.isEmpty || !status.isEmpty, "lines": lines, "hasLines": !lines.isEmpty, "filters": filters,
            "canWrite": context.allows(.prescriptionsWrite),
        ]
        data["more"] = ListPage.nextPageLink("\(base)/prescriptions", cursor: next, keeping: [("q", q), ("status", status)])
        return pages.page(context, "list", title: "Prescriptions", data: data)
    }

    /// The form, for the patient whose number `?patient=` names (the chart's *Prescribe*), with their allergy banner.
    package func newForm(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let typed = request.uri.queryParameters.get("patient") ?? ""
        let time = context.tenant.readableTime
        let (picker, banner) = try await context.storage.database().read { db in
            let picker = try PatientPicker.opened(for: typed, db)
            return (picker, try picker.patient.map { try AllergyBanner.read(db, patient: $0.id, time: time) })
        }
        // Written from a visit (its *Prescribe* button): the visit travels with the form and is linked once written.
        let visit = request.uri.queryParameters.get("visit").flatMap { Int64($0) }.map(String.init)
        return form(context, values: visit.map { ["visit_id": $0] } ?? [:], errors: [:], picker: picker, banner: banner)
    }

    private func form(
        _ context: PageRequestContext,
        values: [String: String],
        errors: [String: String],
        picker: PatientPicker,
        status: HTTPResponse.Status = .ok,
        banner: AllergyBanner? = nil,
        allergyWarning: [String: Any]? = nil,
        products: [ProductChoice] = [],
        message: String? = nil
    ) -> Response {
        func field(_ name: String, _ label: String, _ kind: FormField.Kind = .input(type: "text"), required: Bool = false) -> FormField {
            FormField(name: name, label: label, kind: kind, value: values[name] ?? "", required: required, autocomplete: "off", error: errors[name])
        }
        var items: [[String: Any]] = []
        for index in 0..<Self.itemRows {
            let first = index == 0
            let fields: [FormField] = [
                field("medicine_\(index)", "Medicine", required: first), field("strength_\(index)", "Strength"),
                field("dose_\(index)", "Dose (e.g. 1 tablet)", required: first),
                field(
                    "route_\(index)",
                    "Route",
                    .select(options: [("", "—")] + PrescriptionsAPI.routes.map { ($0, PrescriptionsAPI.routeText[$0] ?? $0) })
                ),
                field("frequency_\(index)", "How often (e.g. 3 times a day)"), field("duration_\(index)", "For how long (e.g. 5 days)"),
                field("quantity_\(index)", "Quantity", .input(type: "number"), required: first),
                field("repeats_\(index)", "Repeats", .input(type: "number")),
                field("interval_\(index)", "Days between repeats (empty: from the dose and quantity)", .input(type: "number")),
            ]
            var item: [String: Any] = ["number": String(index + 1), "fields": fields]
            if index < products.count {
                item["product"] = products[index].data(
                    index: index,
                    medicine: values["medicine_\(index)"]?.trimmingSpaces ?? "",
                    kept: values["product_\(index)"]
                )
            }
            items.append(item)
        }
        var data: [String: Any] = [
            "picker": picker.field, "fields": [field("notes", "Notes", .textArea)], "items": items, "hasErrors": !errors.isEmpty,
        ]
        data["outsideFields"] = [
            field("outside_name", "Prescriber's name"), field("outside_registration", "Registration number"),
            field("outside_practice", "Practice or hospital"),
        ]
        data["outsideOpen"] = ["outside_name", "outside_registration", "outside_practice"].contains {
            !(values[$0] ?? "").isEmpty || errors[$0] != nil
        }
        if let visit = values["visit_id"], !visit.isEmpty { data["visitID"] = visit }
        if let message = errors["form"] { (data["formError"], data["hasErrors"]) = (message, false) }
        if let message = message ?? picker.message, errors.isEmpty { data["message"] = message }
        data["allergyBanner"] = banner?.data
        data["allergyWarning"] = allergyWarning
        return pages.page(context, "form", title: "New prescription", data: data, status: status)
    }

    package func create(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let database = try await context.storage.database()
        let numbering = context.tenant.phoneNumbering
        let time = context.tenant.readableTime
        let (picker, banner) = try await database.read { db in
            let picker = try PatientPicker(form: body, numbering: numbering, db)
            return (picker, try picker.patient.map { try AllergyBanner.read(db, patient: $0.id, time: time) })
        }
        var errors: [String: String] = [:]
        if let problem = picker.problem { errors["patient"] = problem }
        var items: [PrescriptionsAPI.Item] = []
        // Each medicine's product, where the tenant stocks products: chosen on the form, or kept as written.
        let stocked = context.tenant.features.contains("inventory")
        let products = try await database.read { db in
            try (0..<Self.itemRows).map { index in
                try ProductChoice.read(body, index: index, medicine: body["medicine_\(index)"]?.trimmingSpaces ?? "", stocked: stocked, db)
            }
        }
        for index in 0..<Self.itemRows {
            let value = { (name: String) in body["\(name)_\(index)"]?.trimmingSpaces ?? "" }
            guard !(value("medicine") + value("dose") + value("quantity")).isEmpty else { continue }
            if value("medicine").isEmpty { errors["medicine_\(index)"] = "is required" }
            if let problem = SubstanceName.problem(value("medicine")) { errors["medicine_\(index)"] = problem }
            if value("dose").isEmpty { errors["dose_\(index)"] = "is required" }
            if !value("route").isEmpty, !PrescriptionsAPI.routes.contains(value("route")) { errors["route_\(index)"] = "choose one of the routes" }
            if value("frequency").count > 60 { errors["frequency_\(index)"] = "write it in at most 60 characters" }
            if value("duration").count > 40 { errors["duration_\(index)"] = "write it in at most 40 characters" }
            let quantity = Int64(value("quantity")).flatMap { (1...10_000).contains($0) ? $0 : nil }
            if quantity == nil { errors["quantity_\(index)"] = "must be a whole number from 1 to 10000" }
            let repeats = value("repeats").isEmpty ? 0 : Int64(value("repeats")).flatMap { (0...12).contains($0) ? $0 : nil }
            if repeats == nil { errors["repeats_\(index)"] = "must be 0 to 12" }
            let interval = value("interval").isEmpty ? nil : Int64(value("interval"))
            if !value("interval").isEmpty, interval.map({ !(1...365).contains($0) }) ?? true {
                errors["interval_\(index)"] = "must be a number of days from 1 to 365"
            }
            let written = ["route", "frequency", "duration"].allSatisfy { errors["\($0)_\(index)"] == nil }
            if let quantity, let repeats, written, errors["medicine_\(index)"] == nil, !value("medicine").isEmpty, !value("dose").isEmpty {
                items.append(
                    .init(
                        medicine: value("medicine"),
                        strength: value("strength").isEmpty ? nil : value("strength"),
                        dose: value("dose"),
                        route: value("route").nilIfEmpty,
                        frequency: value("frequency").nilIfEmpty,
                        duration: value("duration").nilIfEmpty,
                        quantity: quantity,
                        repeats: repeats,
                        productID: products[index].productID,
                        repeatIntervalDays: interval
                    )
                )
            }
        }
        if items.isEmpty, errors.keys.allSatisfy({ !$0.hasPrefix("medicine") }) { errors["medicine_0"] = "write at least one medicine" }
        // A prescription brought in from elsewhere: its prescriber's name and registration number, the practice if known.
        let (outsideName, registration, practice) = (
            body["outside_name"]?.trimmingSpaces ?? "", body["outside_registration"]?.trimmingSpaces ?? "",
            body["outside_practice"]?.trimmingSpaces ?? ""
        )
        var outside: PrescriptionRecords.OutsidePrescriber?
        if !(outsideName + registration + practice).isEmpty {
            if outsideName.isEmpty { errors["outside_name"] = "write the prescriber's name" }
            if registration.isEmpty { errors["outside_registration"] = "write the prescriber's registration number, as the prescription gives it" }
            if !outsideName.isEmpty, !registration.isEmpty {
                outside = .init(name: outsideName, registration: registration, practice: practice.isEmpty ? nil : practice)
            }
        }
        let visitID = body["visit_id"].flatMap { Int64($0) }
        let choosing = products.contains(where: \.isOpen)
        guard errors.isEmpty, !choosing, let patientID = picker.patient?.id else {
            return form(
                context,
                values: body.values,
                errors: errors,
                picker: picker,
                status: errors.isEmpty ? .ok : .unprocessableContent,
                banner: banner,
                products: products,
                message: choosing && picker.patient != nil
                    ? "Choose the product for each medicine marked, or say it is not stocked here; then send the form again." : nil
            )
        }
        let notes = body["notes"]?.trimmingSpaces
        let (user, actor, today) = (context.user, context.actor, CalendarDate.today(in: context.tenant.timeZone))
        let reason = AllergyCheck.reason(in: body)
        do {
            let id = try await database.write { [items, outside] db in
                try PrescriptionRecords.create(
                    db,
                    patientID: patientID,
                    date: today,
                    notes: notes?.isEmpty == false ? notes : nil,
                    items: items,
                    allergyOverride: reason,
                    outside: outside,
                    visitID: visitID,
                    user: user,
                    actor: actor
                )
            }
            return Pages.seeOther("\(context.basePath)/prescriptions/\(id)?saved=1")
        } catch let problem as Problem where AllergyCheck.isRefusal(problem) {
            return form(
                context,
                values: body.values,
                errors: [:],
                picker: picker,
                status: .conflict,
                banner: banner,
                allergyWarning: AllergyCheck.warning(problem, values: body.values),
                products: products
            )
        } catch let problem as Problem where problem.status == .unprocessableContent {
            let message = problem.fieldErrors["visit_id"].map { "The visit it was written from \($0)." } ?? problem.pageText
            return form(
                context,
                values: body.values,
                errors: ["form": message],
                picker: picker,
                status: .unprocessableContent,
                banner: banner,
                products: products
            )
        }
    }

    package func show(_ request: Request, _ context: PageRequestContext) async throws -> Response { try await showPage(request, context) }

    package func showPage(
        _ request: Request,
        _ context: PageRequestContext,
        dispenseErrors: [String: String] = [:],
        status: HTTPResponse.Status = .ok,
        allergyWarning: [String: Any]? = nil,
        typed: [String: String] = [:]
    ) async throws -> Response {
        let id = try context.recordID(entity: "prescription")
        let time = context.tenant.readableTime
        let (tenant, base) = (context.tenant, context.basePath)
        let (prescription, items, banner, handedOut) = try await context.storage.database().read {
            db -> ([String: String], [[String: String]], AllergyBanner, [[String: String]]) in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT r.number, r.prescribed_on, r.prescriber_name, r.prescriber_registration, r.prescriber_practice, r.entered_by_name, r.visit_id,
                            r.status, r.version, r.notes, r.allergy_override_reason, r.allergy_override_by, p.first_name, p.last_name, p.number AS patient_number, p.id AS patient_id
                        FROM prescriptions r JOIN patients p ON p.id = r.patient_id WHERE r.id = ?
                        """,
                    arguments: [id]
                )
            else { throw RecordChanges.notFound("prescription") }
            let items = try Row.fetchAll(
                db,
                sql:
                    "SELECT id, medicine, strength, dose, route, frequency, duration, quantity, repeats, repeat_interval_days, dispensed_quantity FROM prescription_items WHERE prescription_id = ? ORDER BY id",
                arguments: [id]
            ).map { item -> [String: String] in
                let total = (item["quantity"] as Int64) * ((item["repeats"] as Int64) + 1)
                return [
                    "id": String(item["id"] as Int64), "medicine": item["medicine"], "strength": item["strength"] ?? "",
                    "dose": PrescriptionsAPI.Item.instructions(
                        dose: item["dose"],
                        route: item["route"],
                        frequency: item["frequency"],
                        duration: item["duration"]
                    ),
                    "quantity": String(item["quantity"] as Int64),
                    "repeats": String(item["repeats"] as Int64) + ((item["repeat_interval_days"] as Int64?).map { ", every \($0) days" } ?? ""),
                    "dispensed": String(item["dispensed_quantity"] as Int64), "left": String(total - (item["dispensed_quantity"] as Int64)),
                ]
            }
            var fields: [String: String] = [
                "number": row["number"], "date": ReadableTime.day(row["prescribed_on"] as String), "prescriber": row["prescriber_name"],
                "status": row["status"],
                "version": String(row["version"] as Int64), "patient": "\(row["first_name"] as String) \(row["last_name"] as String)",
                "patientNumber": row["patient_number"], "patientID": String(row["patient_id"] as Int64),
            ]
            if let notes = row["notes"] as String? { fields["notes"] = notes }
            if let registration = row["prescriber_registration"] as String? {
                fields["prescriber"] =
                    "\(row["prescriber_name"] as String), registration \(registration)"
                    + ((row["prescriber_practice"] as String?).map { ", \($0)" } ?? "")
            }
            if let enteredBy = row["entered_by_name"] as String? { fields["enteredBy"] = enteredBy }
            if let visit = row["visit_id"] as Int64?,
                let number = try String.fetchOne(db, sql: "SELECT number FROM visits WHERE id = ?", arguments: [visit])
            {
                (fields["visitNumber"], fields["visitHref"]) = (number, "\(base)/visits/\(visit)")
            }
            if let reason = row["allergy_override_reason"] as String? {
                fields["writtenDespite"] = "\(reason) (\(row["allergy_override_by"] as String? ?? "prescriber"))"
            }
            let dispensedDespite = try Row.fetchAll(
                db,
                sql: """
                    SELECT d.allergy_override_reason, coalesce(d.dispensed_by_name, d.dispensed_by_email) AS dispensed_by, min(d.at) AS at FROM prescription_dispensings d JOIN prescription_items i ON i.id = d.prescription_item_id
                    WHERE i.prescription_id = ? AND d.allergy_override_reason IS NOT NULL GROUP BY d.at, d.allergy_override_reason, dispensed_by ORDER BY at
                    """,
                arguments: [id]
            ).map { "\($0["allergy_override_reason"] as String) (\($0["dispensed_by"] as String), \(time.moment($0["at"])))" }
            if !dispensedDespite.isEmpty { fields["dispensedDespite"] = dispensedDespite.joined(separator: "; ") }
            // What was handed out: when, which medicine, batch and expiry, how many, where and by whom (by name).
            let handedOut = try Row.fetchAll(
                db,
                sql: """
                    SELECT d.id, d.at, i.medicine, d.batch_number, d.expiry, d.quantity, d.branch, coalesce(d.dispensed_by_name, d.dispensed_by_email) AS by
                    FROM prescription_dispensings d JOIN prescription_items i ON i.id = d.prescription_item_id WHERE i.prescription_id = ? ORDER BY d.id
                    """,
                arguments: [id]
            ).map { row -> [String: String] in
                [
                    "at": time.moment(row["at"]), "medicine": row["medicine"], "batch": row["batch_number"],
                    "expiry": ReadableTime.day(row["expiry"] as String), "quantity": String(row["quantity"] as Int64),
                    "branch": tenant.branchName(row["branch"]), "by": row["by"],
                    "label": "\(base)/prescriptions/\(id)/dispensings/\(row["id"] as Int64)/label",
                ]
            }
            return (fields, items, try AllergyBanner.read(db, patient: row["patient_id"], time: time), handedOut)
        }
        let state = prescription["status"] ?? ""
        let canDispense =
            context.tenant.features.contains("inventory") && context.allows(.prescriptionsDispense)
            && (state == "pending" || state == "partially_dispensed")
        let branches = context.workBranches
        var data: [String: Any] = prescription
        data["id"] = String(id)
        data["statusText"] = state.replacingOccurrences(of: "_", with: " ")
        data["patientHref"] = "\(context.basePath)/patients/\(prescription["patientID"] ?? "")"
        data["items"] = items.enumerated().map { index, item -> [String: Any] in
            var item: [String: Any] = item
            item["index"] = String(index)
            (item["skuValue"], item["quantityValue"]) = (typed["sku_\(index)"] ?? "", typed["quantity_\(index)"] ?? "")
            if let error = dispenseErrors["items[\(index)].quantity"] ?? dispenseErrors["items[\(index)].product_id"]
                ?? dispenseErrors["sku_\(index)"]
            {
                item["error"] = error
            }
            return item
        }
        data["canCancel"] = context.allows(.prescriptionsWrite) && state == "pending"
        data["canWrite"] = context.allows(.prescriptionsWrite)
        data["canDispense"] = canDispense
        data["branches"] = context.branchOptions(branches, selected: nil)
        if let message = dispenseErrors["message"] { data["message"] = message }
        data["allergyBanner"] = banner.data
        (data["handedOut"], data["hasHandedOut"]) = (handedOut, !handedOut.isEmpty)
        data["allergyWarning"] = allergyWarning
        let notice =
            request.uri.queryParameters.get("saved") == "1" ? "Saved." : request.uri.queryParameters.get("dispensed") == "1" ? "Dispensed." : nil
        return pages.page(context, "show", title: "Prescription \(prescription["number"] ?? "")", data: data, status: status, flash: notice)
    }

    package func confirmCancel(_: Request, _ context: PageRequestContext) async throws -> Response {
        let id = try context.recordID(entity: "prescription")
        let number = try await context.storage.database().read { db in
            try String.fetchOne(db, sql: "SELECT number FROM prescriptions WHERE id = ?", arguments: [id])
        }
        guard let number else { throw RecordChanges.notFound("prescription") }
        let data: [String: Any] = [
            "question": "Cancel prescription \(number)?", "consequence": "It can no longer be dispensed. It stays on the record as cancelled.",
            "action": "\(context.basePath)/prescriptions/\(id)/cancel", "button": "Cancel prescription",
            "cancel": "\(context.basePath)/prescriptions/\(id)",
        ]
        return pages.page(context, core: "admin/confirm", title: "Cancel prescription", data: data)
    }

    package func cancel(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        _ = try await context.submittedForm(request)
        let id = try context.recordID(entity: "prescription")
        let actor = context.actor
        try await context.storage.database().write { db in
            let row = try PrescriptionRecords.changes.current(db, id: id)
            guard row["status"] as String == "pending" else {
                throw Problem(
                    .conflict,
                    title: "Cannot cancel",
                    detail: "Only a pending prescription can be cancelled; this one is \(row["status"] as String)."
                )
            }
            try PrescriptionRecords.changes.update(
                db,
                id: id,
                version: row["version"],
                [("status", "cancelled".databaseValue)],
                actor: actor,
                action: "prescriptions.update"
            )
        }
        return Pages.seeOther("\(context.basePath)/prescriptions/\(id)?saved=1")
    }

    /// Each item: how many to hand out now and the SKU of the product (a scanner can type it).
    package func dispense(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        try context.tenant.requireFeature("inventory", for: PrescriptionsModule.dispensingNeeds)
        let id = try context.recordID(entity: "prescription")
        let branch = body["branch"] ?? ""
        guard context.mayWork(in: branch) else {
            return try await showPage(request, context, dispenseErrors: ["message": "Choose one of your branches."], status: .unprocessableContent)
        }
        let database = try await context.storage.database()
        var lines: [PrescriptionDispensing.Line] = []
        var errors: [String: String] = [:]
        var index = 0
        while let itemID = body["item_\(index)"].flatMap({ Int64($0) }) {
            defer { index += 1 }
            guard let quantity = Int64(body["quantity_\(index)"] ?? ""), quantity > 0 else { continue }
            let sku = body["sku_\(index)"]?.trimmingSpaces ?? ""
            let product = try await database.read { db in
                try Int64.fetchOne(db, sql: "SELECT id FROM products WHERE sku = ? AND active = 1", arguments: [sku])
            }
            guard let product else {
                errors["sku_\(index)"] = sku.isEmpty ? "scan or type the product's SKU" : "no product on sale has the SKU \(sku)"
                continue
            }
            lines.append(.init(itemID: itemID, quantity: quantity, productID: product))
        }
        if lines.isEmpty, errors.isEmpty { errors["message"] = "Enter how many to dispense of at least one item." }
        guard errors.isEmpty else {
            return try await showPage(request, context, dispenseErrors: errors, status: .unprocessableContent, typed: body.values)
        }
        let (actor, timeZone) = (context.actor, context.tenant.timeZone)
        let today = CalendarDate.today(in: timeZone)
        do {
            let reason = AllergyCheck.reason(in: body)
            let early = body[RepeatInterval.reasonField]?.trimmingSpaces.prefix(500).description.nilIfEmpty
            try await database.write { [lines] db in
                let order = PrescriptionDispensing.Order(
                    prescription: id,
                    branch: branch,
                    lines: lines,
                    allergyOverride: reason,
                    earlyRepeatReason: early
                )
                _ = try PrescriptionDispensing.record(db, order, actor: actor, today: today, timeZone: timeZone)
            }
            return Pages.seeOther("\(context.basePath)/prescriptions/\(id)?dispensed=1")
        } catch let problem as Problem where AllergyCheck.isAllergyProblem(problem) || problem.title == RepeatInterval.earlyTitle {
            let warning = FormWarning.data(
                problem,
                reasons: [
                    AllergyCheck.overrideField: "Reason to go ahead despite the allergy",
                    RepeatInterval.reasonField: "Reason to dispense the repeat early",
                ],
                values: body.values
            )
            return try await showPage(request, context, status: problem.status, allergyWarning: warning, typed: body.values)
        } catch let problem as Problem where problem.status == .unprocessableContent || problem.status == .conflict {
            var errors = problem.fieldErrors
            errors["message"] = problem.pageText
            return try await showPage(request, context, dispenseErrors: errors, status: problem.status, typed: body.values)
        }
    }
}
