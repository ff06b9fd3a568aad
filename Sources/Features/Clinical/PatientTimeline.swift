import ClinicBoxCore
import GRDB
import Patients

/// A patient's timeline: the entries of every enabled module's `TimelineSource` the reader's role may see, in the
/// reader's branches, newest first. The chart page and `GET /api/v1/patients/{id}/chart` show the same list: the newest
/// `shown` entries, or all of them (up to `longest`) when asked.
package enum PatientTimeline {
    package static let shown = 50
    package static let longest = 5_000

    /// The newest `limit` entries; `more` is true when there are older ones.
    package static func entries(
        _ db: Database,
        patient: Int64,
        tenant: Tenant,
        reader: ChartReader,
        limit: Int = shown
    ) throws -> (entries: [ChartEntry], more: Bool) {
        let sources = tenant.catalog.modules.filter { tenant.features.contains($0.id) }.flatMap(\.chart.timeline)
            .filter { reader.may($0.action, tenant.permissions) }
        guard !sources.isEmpty else { return ([], false) }
        // Sources select different numbers of values: each is padded to the widest, and tagged with its index.
        let widths = try sources.map { try db.cachedStatement(sql: $0.query).columnCount }
        let widest = widths.max() ?? 0
        let query =
            sources.indices.map { index in
                "SELECT \(index), *\(String(repeating: ", NULL", count: widest - widths[index])) FROM (\(sources[index].query))"
            }.joined(separator: " UNION ALL ") + " ORDER BY 2 DESC, 3 DESC LIMIT :limit"
        let time = tenant.readableTime
        var entries: [ChartEntry] = []
        // A cursor, not fetchAll: each row is read once, straight from SQLite, into the entry it becomes.
        let rows = try Row.fetchCursor(db.cachedStatement(sql: query), arguments: reader.arguments(patient: patient) + ["limit": limit + 1])
        while let row = try rows.next() {
            let source = sources[row[0] as Int]
            let line = TimelineRow(row)
            let (title, detail, path) = source.line(line, time)
            entries.append(ChartEntry(at: line.at, kind: source.kind, title: title, detail: detail, path: path, action: source.action))
        }
        let more = entries.count > limit
        if more { entries.removeLast() }
        return (entries, more)
    }

    /// The chart as JSON: the patient, the allergy state and entries, active problems where the role sees clinical
    /// content, and the timeline.
    package static func json(_ db: Database, patient: Int64, tenant: Tenant, reader: ChartReader, limit: Int) throws -> String {
        let patientJSON = try PatientJSON.fetch(db, id: patient)
        let allergies = try PatientAllergies.json(db, patient: patient)
        let problems = reader.may(.clinicalRead, tenant.permissions) ? try PatientProblems.json(db, patient: patient) : nil
        let (shownEntries, more) = try entries(db, patient: patient, tenant: tenant, reader: reader, limit: limit)
        let timeline = shownEntries.map { entry in
            [
                "at": JSONValue.string(entry.at), "kind": .string(entry.kind), "title": .string(entry.title), "detail": .string(entry.detail),
                "path": .string(entry.path),
            ]
        }
        let head = "{\"patient\":\(patientJSON),\"allergies\":\(allergies)" + (problems.map { ",\"problems\":\($0)" } ?? "")
        return head + ",\"timeline\":" + String(decoding: JSON.encode(timeline.map(JSONValue.object)), as: UTF8.self)
            + ",\"timeline_has_more\":\(more)}"
    }
}
