import ClinicBoxCore
import GRDB
import Patients

/// What the top of a patient's chart shows, read in one transaction: who the patient is, the allergy banner, the
/// problem list (for those who may see clinical content) and, for admins, who opened the chart; what happened at a
/// branch only from the reader's branches.
package struct PatientChart: Sendable {
    package var patient: PatientDetails
    package var age: String?
    /// The allergy banner, as every page that decides about medicine shows it.
    package var banner: AllergyBanner
    /// Every allergy entry (empty values left out, so a template's `{{#reaction}}` reads as absent), active ones first: `id`, `version`, `substance`, `reaction`, `severity`, `status`, `recorded`.
    package var allergies: [[String: String]]
    /// Every problem, active ones first (empty unless `withProblems`).
    package var problems: [[String: String]]
    package var views: [ChartViews.View]
    /// The record this one was merged into, when it is a merged duplicate (its page leads there).
    package var mergedInto: Int64?
    /// Sections the tenant's modules add (the last vitals), those the user may see.
    package var panels: [ChartPanel]
    package var timeline: [ChartEntry]
    /// True when older entries than `timeline` holds exist.
    package var moreTimeline: Bool

    package static func read(
        _ db: Database,
        patient id: Int64,
        today: CalendarDate,
        tenant: Tenant,
        reader: ChartReader,
        timelineLimit: Int
    ) throws -> PatientChart {
        let (time, withProblems, withViews) = (
            tenant.readableTime, reader.may(.clinicalRead, tenant.permissions), reader.may(Permissions.readAudit, tenant.permissions)
        )
        let row = try PatientRecords.changes.current(db, id: id)
        let details = PatientDetails(row: row)
        let allergies = try Row.fetchAll(
            db.cachedStatement(
                sql: "SELECT * FROM patient_allergies WHERE patient_id = ? ORDER BY status != 'active', severity != 'severe', id DESC"
            ),
            arguments: [id]
        ).map { entry -> [String: String] in
            [
                "id": String(entry["id"] as Int64), "version": String(entry["version"] as Int64), "substance": entry["substance"],
                "reaction": entry["reaction"] ?? "", "severity": entry["severity"], "status": entry["status"],
                "recorded": ClinicalFacts.recorded(noted: entry["noted_on"], by: entry["recorded_by_name"], at: entry["created_at"], time: time),
            ].filter { !$0.value.isEmpty }
        }
        let problems =
            withProblems
            ? try Row.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM patient_problems WHERE patient_id = ? ORDER BY status != 'active', id DESC"),
                arguments: [id]
            ).map { entry -> [String: String] in
                [
                    "id": String(entry["id"] as Int64), "version": String(entry["version"] as Int64), "description": entry["description"],
                    "code": entry["icd10_code"] ?? "", "onset": (entry["onset"] as String?).flatMap(CalendarDate.init).map(ReadableTime.day) ?? "",
                    "status": entry["status"],
                    "recorded": ClinicalFacts.recorded(noted: entry["noted_on"], by: entry["recorded_by_name"], at: entry["created_at"], time: time),
                ].filter { !$0.value.isEmpty }
            }
            : []
        let active = allergies.filter { $0["status"] == "active" }.map {
            AllergyBanner.Allergy(substance: $0["substance"]!, severity: $0["severity"]!, reaction: $0["reaction"])
        }
        let nkaAt: String? = row["no_known_allergies_at"]
        let banner = AllergyBanner(
            patientName: nil,
            state: !active.isEmpty ? .recorded : nkaAt != nil ? .noKnownAllergies : .notRecorded,
            active: active,
            noKnownAllergies: nkaAt.map { "recorded by \(row["no_known_allergies_by"] as String? ?? "?"), \(time.moment($0))" }
        )
        let timeline = try PatientTimeline.entries(db, patient: id, tenant: tenant, reader: reader, limit: timelineLimit)
        let age = (row["date_of_birth"] as String?).flatMap(CalendarDate.init).map { Self.age(born: $0, today: today) }
        return PatientChart(
            patient: details,
            age: age,
            banner: banner,
            allergies: allergies,
            problems: problems,
            views: withViews ? try ChartViews.recent(db, patient: id) : [],
            mergedInto: row["merged_into"],
            panels: try tenant.catalog.modules.filter { tenant.features.contains($0.id) }.flatMap {
                try $0.chart.panels?(db, id, reader, time) ?? []
            }
            .filter { reader.may($0.action, tenant.permissions) },
            timeline: timeline.entries,
            moreTimeline: timeline.more
        )
    }

    /// "42 years", or months and weeks for the youngest, as a clinician doses by them.
    package static func age(born: CalendarDate, today: CalendarDate) -> String {
        var years = today.year - born.year
        if (today.month, today.day) < (born.month, born.day) { years -= 1 }
        if years >= 2 { return "\(years) years" }
        var months = (today.year - born.year) * 12 + today.month - born.month
        if today.day < born.day { months -= 1 }
        if months >= 1 { return months == 1 ? "1 month" : "\(months) months" }
        let weeks = max(0, (today.daysSinceEpoch - born.daysSinceEpoch) / 7)
        return weeks == 1 ? "1 week" : "\(weeks) weeks"
    }
}
