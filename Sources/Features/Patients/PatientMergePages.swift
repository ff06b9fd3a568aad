import ClinicBoxCore
import GRDB
import Hummingbird

/// Merging a duplicate from the kept patient's chart: the duplicate's number and a reason, then a confirmation that
/// names both people and what will move, then the merge. A refused form comes back on the chart with the message
/// beside the field and what was typed.
package struct PatientMergePages {
    package let pages: ModulePages

    /// Readable names of the tables a merge moves rows of; another module's table reads as its own name.
    private static let recordNames = [
        "appointments": ("appointment", "appointments"), "patient_allergies": ("allergy entry", "allergy entries"),
        "patient_documents": ("document", "documents"),
        "patient_problems": ("problem", "problems"), "prescriptions": ("prescription", "prescriptions"), "sales": ("sale", "sales"),
        "treatments": ("treatment plan item", "treatment plan items"), "visits": ("visit", "visits"),
    ]

    /// "2 visits", "1 allergy entry".
    private static func count(_ count: Int, of table: String) -> String {
        let (one, many) = recordNames[table] ?? (table.replacingOccurrences(of: "_", with: " "), table.replacingOccurrences(of: "_", with: " "))
        return "\(count) \(count == 1 ? one : many)"
    }

    package func merge(_ request: Request, _ context: PageRequestContext) async throws -> Response {
        let body = try await context.submittedForm(request)
        let kept = try context.recordID(entity: "patient")
        let (typed, reason) = (body["duplicate"]?.trimmingSpaces ?? "", body["reason"]?.trimmingSpaces ?? "")
        var errors: [String: String] = [:]
        if reason.isEmpty { errors["reason"] = "say why these are the same person" }
        let database = try await context.storage.database()
        let duplicate = try await database.read { db -> (id: Int64, number: String, name: String, keptName: String, moves: [String: Int])? in
            guard !typed.isEmpty,
                let row = try Row.fetchOne(
                    db,
                    sql: "SELECT id, number, first_name, last_name FROM patients WHERE number = ? COLLATE NOCASE",
                    arguments: [typed]
                )
            else {
                return nil
            }
            let keptRow = try PatientRecords.changes.current(db, id: kept)
            return (
                row["id"], row["number"], "\(row["first_name"] as String) \(row["last_name"] as String)",
                "\(keptRow["first_name"] as String) \(keptRow["last_name"] as String) (\(keptRow["number"] as String))",
                try PatientMerge.preview(db, duplicate: row["id"])
            )
        }
        if duplicate == nil {
            errors["duplicate"] = typed.isEmpty ? "type the duplicate record's patient number" : "no patient has the number “\(typed)”"
        }
        if let duplicate, duplicate.id == kept { errors["duplicate"] = "is this patient's own number; type the other record's" }
        guard errors.isEmpty, let duplicate else {
            return try await pages.chart(
                request,
                context,
                refused: .init(form: "merge", values: body.values, errors: errors, message: nil, status: .unprocessableContent)
            )
        }
        guard body["confirm"] == "yes" else {
            let moves = duplicate.moves.sorted { $0.key < $1.key }.map { Self.count($0.value, of: $0.key) }
            let data: [String: Any] = [
                "question": "Merge \(duplicate.name) (\(duplicate.number)) into \(duplicate.keptName)?",
                "consequence":
                    "Everything filed under \(duplicate.number) moves to this record\(moves.isEmpty ? "" : ": " + moves.joined(separator: ", ")). Allergies are combined. \(duplicate.number) stays as a pointer to this record and cannot be changed again; a merge is not undone.",
                "action": "\(context.basePath)/patients/\(kept)/merge", "button": "Merge the records",
                "cancel": "\(context.basePath)/patients/\(kept)",
                "hidden": [
                    ["name": "duplicate", "value": duplicate.number], ["name": "reason", "value": reason], ["name": "confirm", "value": "yes"],
                ],
            ]
            return pages.page(context, core: "admin/confirm", title: "Merge records", data: data)
        }
        let (user, actor) = (context.user, context.actor)
        do {
            _ = try await database.write { db in
                try PatientMerge.merge(db, duplicate: duplicate.id, into: kept, reason: reason, by: user, actor: actor)
            }
        } catch let problem as Problem where [.conflict, .unprocessableContent].contains(problem.status) {
            return try await pages.chart(
                request,
                context,
                refused: .init(form: "merge", values: body.values, errors: [:], message: problem.pageText, status: problem.status)
            )
        }
        return Pages.seeOther("\(context.basePath)/patients/\(kept)?saved=1#merges-title")
    }
}
