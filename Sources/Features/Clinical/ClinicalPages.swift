import ClinicBoxCore
import Foundation
import GRDB
import Hummingbird
import Patients

/// `/patients/{id}`, the patient's chart: identity and the allergy banner for everyone who sees the patient,
/// the problem list for those who see clinical content, forms for those who record it, what the tenant's other
/// modules add (panels, sections, the timeline), and for admins who opened the chart. A refused form, this
/// module's or another's (`ModulePages.chart`), comes back on the chart with its message beside the field and what
/// was typed.
package struct ClinicalPages: ChartPage {
    package let pages: ModulePages

    package func show(_ request: Request, _ context: PageRequestContext) async throws -> Response { try await show(request, context, refused: nil) }

    package func show(_ request: Request, _ context: PageRequestContext, refused: FormRefusal?) async throws -> Response {
        let id = try context.recordID(entity: "patient")
        let isAdmin = context.user.role == .admin
        let (today, time, tenant, user) = (CalendarDate.today(in: context.tenant.timeZone), context.tenant.readableTime, context.tenant, context.user)
        let database = try await context.storage.database()
        let reader = try await database.read { db in try ChartReader.reading(id, by: user, db) }
        let clinical = reader.may(.clinicalRead, tenant.permissions)
        let whole = request.uri.queryParameters.get("timeline") == "all"
        let limit = whole ? PatientTimeline.longest : PatientTimeline.shown
        let actor = context.actor
        let base = "\(context.basePath)/patients/\(id)"
        let shown = ChartSection.Showing(
            patient: id,
            context: context,
            pages: pages,
            database: database,
            refused: refused,
            chartPath: base,
            reader: reader
        )
        // Every module's section, each shown with its own module's templates, read in the chart's one transaction.
        let sections = tenant.catalog.modules.filter { tenant.features.contains($0.id) }.flatMap { module in
            module.chart.sections.map { section in
                var theirs = shown
                theirs.pages = ModulePages(pages.pages, for: module)
                return (section, theirs)
            }
        }
        let (chart, seen, found) = try await database.read { db in
            (
                try PatientChart.read(db, patient: id, today: today, tenant: tenant, reader: reader, timelineLimit: limit),
                try ChartViews.seenRecently(db, patient: id, actor: actor),
                try sections.map { section, showing in try section.read(db, showing) }
            )
        }
        // A duplicate merged into another record leads there (its old links, a bookmark), read in the chart's own read.
        if let kept = chart.mergedInto { return Pages.seeOther("\(context.basePath)/patients/\(kept)?merged=\(id)") }
        if reader.emergency != nil {
            // Every view in an emergency is recorded, not one per ten minutes.
            try await ChartViews.recordEvery(database, patient: id, what: "chart (emergency access)", actor: actor)
        } else {
            try await ChartViews.record(database, patient: id, what: clinical ? "chart" : "chart header", actor: actor, seenRecently: seen)
        }
        var data: [String: Any] = chart.patient.fields
        if let grant = reader.emergency {
            data["emergency"] = "Emergency access until \(time.clock(grant.endsAt)): \(grant.reason). Every view is recorded and the admins are told."
        } else if EmergencyAccessPages.offered(to: reader, user, tenant) {
            data["emergencyHref"] = base + "/emergency-access"
        }
        data["age"] = chart.age
        if let born = chart.patient.formValues["date_of_birth"].flatMap(CalendarDate.init) { data["born"] = ReadableTime.day(born) }
        data["canWrite"] = context.allows(.patientsWrite)
        if context.allows(.patientsExport), user.branchFilter == nil { data["exportHref"] = base + "/export" }
        data["actions"] = context.patientActions(number: chart.patient.fields["number"] as? String ?? "")
        data.merge(allergyData(chart, shown)) { $1 }
        if clinical { data.merge(problemData(chart, shown)) { $1 } }
        data["panels"] = pages.rows(
            chart.panels.map { ChartPanelSection(panel: $0, chart: base) },
            template: "chart-panel",
            context,
            database: database
        ) { $0.record }
        let tenantBase = context.basePath
        let lines = chart.timeline.map { TimelineLine($0, base: tenantBase, time: time) }
        data["timeline"] = pages.rows(lines, template: "timeline-row", context, database: database) { $0.record }
        data["hasTimeline"] = !chart.timeline.isEmpty
        if chart.moreTimeline, !whole { data["wholeTimeline"] = base + "?timeline=all#timeline-title" }
        if isAdmin {
            data["showViews"] = true
            data["views"] = chart.views.map { ["at": time.moment($0.at), "who": $0.who, "role": $0.role ?? "", "what": $0.what] }
        }
        for (place, key) in [(ChartSection.Place.beforeTimeline, "sectionsBeforeTimeline"), (.afterDetails, "sectionsAfterDetails")] {
            var html = ""
            for ((section, showing), found) in zip(sections, found) where section.place == place {
                if let rendered = section.render(found, showing) { html += rendered.html }
            }
            data[key] = RenderedHTML(html: html)
        }
        let flash =
            request.uri.queryParameters.get("saved") == "1"
            ? "Saved." : request.uri.queryParameters.get("merged") != nil ? "That record was merged into this one." : nil
        return pages.page(
            context,
            "show",
            title: chart.patient.title,
            data: data,
            status: refused?.status ?? .ok,
            flash: refused == nil ? flash : nil
        )
    }

    private func allergyData(_ chart: PatientChart, _ shown: ChartSection.Showing) -> [String: Any] {
        let (context, base, refused, database) = (shown.context, shown.chartPath, shown.refused, shown.database)
        let active = chart.allergies.filter { $0["status"] == "active" }
        let canWrite = context.allows(.allergiesWrite)
        var data: [String: Any] = [
            "allergyBanner": chart.banner.data,
            "hasAllergyEntries": !chart.allergies.isEmpty, "canWriteAllergies": canWrite,
            "offerNone": canWrite && active.isEmpty && chart.banner.state != .noKnownAllergies,
            "allergyAction": base + "/allergies", "noneAction": base + "/allergies/none",
        ]
        data["allergyEntries"] = chart.allergies.map { entry -> [String: Any] in
            var row: [String: Any] = entry
            row["statusText"] = entry["status"]!.replacingOccurrences(of: "_", with: " ")
            row["action"] = "\(base)/allergies/\(entry["id"]!)"
            row["withdrawn"] = entry["status"] != "active"
            row["options"] = PatientAllergies.statuses.map {
                ["value": $0, "label": $0.replacingOccurrences(of: "_", with: " ").capitalized, "selected": $0 == entry["status"]] as [String: Any]
            }
            if refused?.form == "allergy-\(entry["id"]!)" { row["error"] = refused?.message }
            return row
        }
        let mine = refused?.form == "allergy" ? refused : nil
        let fields = PatientAllergies.fields.all.filter { $0.name != "status" }.map { field in
            field.formField(value: mine?.values[field.name] ?? "", error: mine?.errors[field.name])
        }
        data["allergyFields"] = pages.fields(fields, context, database: database)
        if let message = refused?.form == "allergy" || refused?.form == "none" ? refused?.message : nil { data["allergyMessage"] = message }
        data["allergyOpen"] = mine != nil
        return data
    }

    private func problemData(_ chart: PatientChart, _ shown: ChartSection.Showing) -> [String: Any] {
        let (context, base, refused, database) = (shown.context, shown.chartPath, shown.refused, shown.database)
        let canWrite = context.allows(.clinicalWrite)
        let mine = refused?.form == "problem" ? refused : nil
        var data: [String: Any] = [
            "showProblems": true, "canWriteProblems": canWrite, "problemAction": base + "/problems",
            "activeProblems": chart.problems.filter { $0["status"] == "active" }.map { problem -> [String: Any] in
                var row: [String: Any] = problem
                row["action"] = "\(base)/problems/\(problem["id"]!)"
                if refused?.form == "problem-\(problem["id"]!)" { row["error"] = refused?.message }
                return row
            },
            "resolvedProblems": chart.problems.filter { $0["status"] != "active" },
            "hasResolvedProblems": chart.problems.contains { $0["status"] != "active" },
            "problemFields": pages.fields(
                PatientProblems.fields.all.filter { $0.name != "status" }.map { field in
                    field.formField(value: mine?.values[field.name] ?? "", error: mine?.errors[field.name])
                },
                context,
                database: database
            ),
        ]
        if let message = mine?.message { data["problemMessage"] = message }
        data["problemOpen"] = mine != nil
        return data
    }

    // MARK: Forms

    package func recordNone(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let id = try context.recordID(entity: "patient")
        let (user, actor) = (context.user, context.actor)
        return try await saving(request, context, form: "none", body: body) {
            try await context.storage.database().write { db in try PatientAllergies.recordNone(db, patient: id, by: user, actor: actor) }
        }
    }

    /// Runs `change`; on success back to the chart, refused (422, 409) the chart again with the form as typed.
    func saving(
        _ request: Request,
        _ context: PageRequestContext,
        form: String,
        body: FormBody,
        _ change: () async throws -> Void
    ) async throws -> Response {
        do {
            try await change()
            return Pages.seeOther("\(context.basePath)/patients/\(try context.recordID(entity: "patient"))?saved=1")
        } catch let problem as Problem where problem.status == .unprocessableContent || problem.status == .conflict {
            // A one-button form (a row's status) has no field to put a message beside: the message names it.
            let oneButton = form.contains("-") || form == "none"
            let firstError = problem.fieldErrors.sorted { $0.key < $1.key }.first.map {
                "\($0.key.replacingOccurrences(of: "_", with: " ")) \($0.value)"
            }
            let message =
                problem.status == .conflict || problem.fieldErrors.isEmpty
                ? problem.detail : oneButton ? firstError ?? problem.detail : "Please correct the marked fields."
            let refused = FormRefusal(form: form, values: body.values, errors: problem.fieldErrors, message: message, status: problem.status)
            return try await show(request, context, refused: refused)
        }
    }
}
