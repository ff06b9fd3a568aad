import GRDB

/// A patient's timeline: every enabled module's entries for the patient, newest first, without the ones the
/// user's role may not see. The chart page and `GET /api/v1/patients/{id}/chart` show the same list: the newest
/// `shown` entries, or all of them (up to `longest`) when asked.
enum PatientTimeline {
    static let shown = 50
    static let longest = 5_000

    /// The newest `limit` entries; `more` is true when there are older ones.
    static func entries(_ db: Database, patient: Int64, tenant: Tenant, role: Role, limit: Int = shown) throws -> (entries: [ChartEntry], more: Bool) {
        var entries: [ChartEntry] = []
        for module in tenant.catalog.modules where tenant.features.contains(module.id) {
            let visible = try module.chartEntries(db, patient: patient, limit: limit + 1, time: tenant.readableTime).filter { tenant.permissions.allows(role, $0.action) }
            entries += visible
        }
        entries.sort { $0.at > $1.at }
        return (Array(entries.prefix(limit)), entries.count > limit)
    }

    /// The chart as JSON: the patient, the allergy state and entries, active problems where the role sees clinical
    /// content, and the timeline.
    static func json(_ db: Database, patient: Int64, tenant: Tenant, role: Role, limit: Int) throws -> String {
        let patientJSON = try PatientJSON.fetch(db, id: patient)
        let allergies = try PatientAllergies.json(db, patient: patient)
        let problems = tenant.permissions.allows(role, .clinicalRead) ? try PatientProblems.json(db, patient: patient) : nil
        let (shownEntries, more) = try entries(db, patient: patient, tenant: tenant, role: role, limit: limit)
        let timeline = shownEntries.map { entry in
            ["at": JSONValue.string(entry.at), "kind": .string(entry.kind), "title": .string(entry.title), "detail": .string(entry.detail), "path": .string(entry.path)]
        }
        let head = "{\"patient\":\(patientJSON),\"allergies\":\(allergies)" + (problems.map { ",\"problems\":\($0)" } ?? "")
        return head + ",\"timeline\":" + String(decoding: JSON.encode(timeline.map(JSONValue.object)), as: UTF8.self) + ",\"timeline_has_more\":\(more)}"
    }
}
