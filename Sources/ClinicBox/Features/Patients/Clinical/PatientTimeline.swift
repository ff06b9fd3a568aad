import GRDB

/// A patient's timeline: every enabled module's entries for the patient, newest first, without the ones the
/// user's role may not see. The chart page and `GET /api/v1/patients/{id}/chart` show the same list.
enum PatientTimeline {
    static func entries(_ db: Database, patient: Int64, tenant: Tenant, role: Role) throws -> [ChartEntry] {
        var entries: [ChartEntry] = []
        for module in tenant.catalog.modules where tenant.features.contains(module.id) {
            entries += try module.chartEntries(db, patient: patient, time: tenant.readableTime).filter { tenant.permissions.allows(role, $0.action) }
        }
        return entries.sorted { $0.at > $1.at }
    }

    /// The chart as JSON: the patient, the allergy state and entries, active problems where the role sees clinical
    /// content, and the timeline.
    static func json(_ db: Database, patient: Int64, tenant: Tenant, role: Role) throws -> String {
        let patientJSON = try PatientJSON.fetch(db, id: patient)
        let allergies = try PatientAllergies.json(db, patient: patient)
        let problems = tenant.permissions.allows(role, .clinicalRead) ? try PatientProblems.json(db, patient: patient) : nil
        let timeline = try entries(db, patient: patient, tenant: tenant, role: role).map { entry in
            ["at": JSONValue.string(entry.at), "kind": .string(entry.kind), "title": .string(entry.title), "detail": .string(entry.detail), "path": .string(entry.path)]
        }
        let head = "{\"patient\":\(patientJSON),\"allergies\":\(allergies)" + (problems.map { ",\"problems\":\($0)" } ?? "")
        return head + ",\"timeline\":" + String(decoding: JSON.encode(timeline.map(JSONValue.object)), as: UTF8.self) + "}"
    }
}
