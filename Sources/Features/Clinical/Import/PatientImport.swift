import ClinicBoxCore
import Foundation
import GRDB
import Patients

/// Bringing a clinic's existing patients in from a CSV file (`clinicbox import-patients`, the admin page *Import
/// patients*). Every row is checked as registration checks it — the same fields, the same phone normalising — plus
/// dates written the local way; a dry run reports every problem by line and column and imports nothing; a real run
/// imports every valid row that is not already here in one transaction, or nothing at all. Someone already here
/// (the same source number, or a near-duplicate as `PatientDuplicates` finds one) is reported, never imported twice.
public enum PatientImport {
    /// The header a file may have, in any order; `first_name` and `last_name` are required.
    public static let columns = [
        "source_number", "first_name", "last_name", "date_of_birth", "sex", "phone", "email", "address", "notes", "allergies", "problems",
    ]

    public struct Problem: Sendable, Equatable {
        public var line: Int
        public var column: Int
        public var message: String
    }

    public struct Report: Sendable {
        public var rows = 0
        public var imported = 0
        /// Rows already here: line and why.
        public var duplicates: [(line: Int, message: String)] = []
        public var problems: [Problem] = []
    }

    /// Checks (and unless `dryRun`, imports) `text`, the file's contents, for the tenant `definition` describes.
    package static func run(
        _ db: Database,
        text: String,
        fileName: String,
        definition: TenantDefinition,
        today: CalendarDate,
        dryRun: Bool,
        actor: AuditActor
    ) throws -> Report {
        var report = Report()
        try db.inSavepoint {
            report = try importRows(db, text: text, fileName: fileName, definition: definition, today: today, actor: actor)
            return dryRun ? .rollback : .commit
        }
        return report
    }

    private static func importRows(
        _ db: Database,
        text: String,
        fileName: String,
        definition: TenantDefinition,
        today: CalendarDate,
        actor: AuditActor
    ) throws -> Report {
        var report = Report()
        let rows: [CSVRows.Row]
        do { rows = try CSVRows.parse(text) } catch {
            report.problems.append(Problem(line: error.line, column: 1, message: error.message))
            return report
        }
        guard let header = rows.first else {
            report.problems.append(
                Problem(line: 1, column: 1, message: "the file is empty; its first line names the columns: \(columns.joined(separator: ","))")
            )
            return report
        }
        let names = header.fields.map { $0.trimmingSpaces.lowercased() }
        for (index, name) in names.enumerated() where !columns.contains(name) || names.firstIndex(of: name) != index {
            let message =
                columns.contains(name)
                ? "the column \(name) is named twice"
                : "unknown column \(name.echoed)\(DidYouMean.hint(for: name, among: columns)); columns are \(columns.joined(separator: ", "))"
            report.problems.append(Problem(line: header.line, column: index + 1, message: message))
        }
        for required in ["first_name", "last_name"] where !names.contains(required) {
            report.problems.append(Problem(line: header.line, column: names.count + 1, message: "the column \(required) is missing"))
        }
        guard report.problems.isEmpty else { return report }
        let source = "Imported from \(fileName)"
        let monthFirst = definition.country == "US"
        for row in rows.dropFirst() {
            report.rows += 1
            guard row.fields.count == names.count else {
                report.problems.append(Problem(line: row.line, column: 1, message: "has \(row.fields.count) fields; the header has \(names.count)"))
                continue
            }
            var values = Dictionary(uniqueKeysWithValues: zip(names, row.fields.map(\.trimmingSpaces)))
            var errors: [String: String] = [:]
            if let written = values["date_of_birth"], !written.isEmpty {
                if let date = ImportDate.parse(written, monthFirst: monthFirst) {
                    values["date_of_birth"] = date.description
                } else {
                    errors["date_of_birth"] = "\(written.echoed) is not a date; write \(monthFirst ? "MM/DD/YYYY" : "DD/MM/YYYY") or YYYY-MM-DD"
                }
            }
            if let sex = values["sex"] { values["sex"] = sex.lowercased() }
            let (allergies, problems) = (list(values.removeValue(forKey: "allergies")), list(values.removeValue(forKey: "problems")))
            for substance in allergies {
                if let problem = SubstanceName.problem(substance) { errors["allergies"] = "\(substance.echoed) \(problem)" }
            }
            var fields = RequestFields(object: values.filter { !$0.value.isEmpty }.mapValues(JSONValue.string))
            var form = PatientForm()
            form.apply(&fields, today: today, numbering: definition.phoneNumbering)
            errors.merge(fields.errors) { first, _ in first }
            guard errors.isEmpty else {
                for (name, message) in errors.sorted(by: { names.firstIndex(of: $0.key) ?? 0 < names.firstIndex(of: $1.key) ?? 0 }) {
                    report.problems.append(Problem(line: row.line, column: (names.firstIndex(of: name) ?? 0) + 1, message: "\(name): \(message)"))
                }
                continue
            }
            if let already = try duplicate(db, form, sourceNumber: values["source_number"]) {
                report.duplicates.append((row.line, already))
                continue
            }
            let id = try PatientRecords.create(db, form, confirmNew: true, actor: actor)
            for substance in allergies {
                _ = try PatientAllergies.changes.insert(
                    db,
                    [
                        ("patient_id", id.databaseValue), ("substance", substance.databaseValue), ("severity", "unknown".databaseValue),
                        ("status", "active".databaseValue),
                        ("recorded_by_name", source.databaseValue),
                    ],
                    actor: actor,
                    action: "patients.allergy_recorded"
                )
            }
            for description in problems {
                _ = try PatientProblems.changes.insert(
                    db,
                    [
                        ("patient_id", id.databaseValue), ("description", description.databaseValue), ("status", "active".databaseValue),
                        ("recorded_by_name", source.databaseValue),
                    ],
                    actor: actor,
                    action: "patients.problem_recorded"
                )
            }
            report.imported += 1
        }
        return report
    }

    /// Why the row's patient is already here, or nil: the same source number, or a near-duplicate.
    private static func duplicate(_ db: Database, _ form: PatientForm, sourceNumber: String?) throws -> String? {
        if let sourceNumber, !sourceNumber.isEmpty,
            let number = try String.fetchOne(
                db.cachedStatement(sql: "SELECT number FROM patients WHERE source_number = ? LIMIT 1"),
                arguments: [sourceNumber]
            )
        {
            return "source number \(sourceNumber) was already imported as \(number)"
        }
        let candidates = try PatientDuplicates.candidates(db, form)
        guard !candidates.isEmpty else { return nil }
        return "may already be registered: " + candidates.prefix(3).map { "\($0.number) \($0.name) (\($0.why))" }.joined(separator: "; ")
    }

    /// `Penicillin; Latex` → the entries, without empty ones.
    private static func list(_ text: String?) -> [String] {
        (text ?? "").split(separator: ";").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
    }
}

/// A date as a clinic's old system or spreadsheet writes it: `1980-03-21`, or day first (`21/03/1980`,
/// `21.03.1980`, `21-03-1980`), or month first where the country writes dates so (`03/21/1980` in the US).
package enum ImportDate {
    package static func parse(_ text: String, monthFirst: Bool) -> CalendarDate? {
        if let iso = CalendarDate(text) { return iso }
        let parts = text.split(whereSeparator: { "/.-".contains($0) }).map(String.init)
        guard parts.count == 3, parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }), parts[2].count == 4,
            let year = Int(parts[2]), let first = Int(parts[0]), let second = Int(parts[1])
        else { return nil }
        let (month, day) = monthFirst ? (first, second) : (second, first)
        return CalendarDate(String(format: "%04d-%02d-%02d", year, month, day))
    }
}
