import Foundation
import GRDB
import ZIPFoundation

/// One kind of record in a patient's own copy of their record, declared by the module that owns it: the rows (its
/// SQL with `:patient`, oldest first), the key they take in `record.json`, and the columns the printable summary
/// shows. A module with files (documents) adds each row's file, and says what it left out.
package struct PatientExportTable: Sendable {
    package var key: String
    package var title: String
    package var sql: String
    /// Column → heading, in the summary's order.
    package var summary: [(column: String, heading: String)]
    /// The file of one row, put in the archive as `documents/<name>`.
    package var file: (@Sendable (Database, Row) throws -> (name: String, bytes: Data)?)? = nil
    /// SQL counting the rows left out of the copy, and the sentence that says so (`{}` for the count).
    package var leftOut: (sql: String, sentence: String)? = nil
    /// Columns holding minor units of the tenant's currency, shown as money in the summary.
    package var money: Set<String> = []

    package init(
        key: String,
        title: String,
        sql: String,
        summary: [(column: String, heading: String)],
        file: (@Sendable (Database, Row) throws -> (name: String, bytes: Data)?)? = nil,
        leftOut: (sql: String, sentence: String)? = nil,
        money: Set<String> = []
    ) {
        (self.key, self.title, self.sql, self.summary, self.file, self.leftOut) = (key, title, sql, summary, file, leftOut)
        self.money = money
    }
}

/// A patient's own copy of their record (GDPR Art. 15, Kenya's Data Protection Act s.26): one ZIP holding a printable
/// summary (`summary.html`), the whole record as JSON (`record.json`: every enabled module's rows, every column) and
/// the documents as they were filed (`documents/`). Read in one transaction, so the three agree.
package enum PatientExport {
    package struct Archive: Sendable {
        package var fileName: String
        package var bytes: Data
    }

    /// The copy of `patient` from `tables` (the enabled modules', in catalogue order); the first table is the patient.
    package static func build(_ db: Database, patient: Int64, tables: [PatientExportTable], tenant: Tenant) throws -> Archive {
        let arguments: StatementArguments = ["patient": patient]
        var record: [String: JSONValue] = [:]
        var sections: [String] = []
        var files: [(name: String, bytes: Data)] = []
        var number = "P-\(patient)"
        var title = "Patient \(patient)"
        for table in tables {
            let rows = try Row.fetchAll(db, sql: table.sql, arguments: arguments)
            record[table.key] = .array(rows.map(json))
            if table.key == "patient", let row = rows.first {
                number = row["number"] ?? number
                title = "\(row["first_name"] as String? ?? "") \(row["last_name"] as String? ?? "")"
            }
            var notes: [String] = []
            if let file = table.file {
                for row in rows {
                    guard let found = try file(db, row) else { continue }
                    files.append((found.name, found.bytes))
                }
            }
            if let leftOut = table.leftOut, let count = try Int.fetchOne(db, sql: leftOut.sql, arguments: arguments), count > 0 {
                notes.append(leftOut.sentence.replacingOccurrences(of: "{}", with: String(count)))
            }
            sections.append(section(table, rows, notes: notes, currency: tenant.definition.currency))
        }
        let now = Date()
        let madeAt = tenant.readableTime.moment(Timestamp.string(now))
        record["exported_at"] = .string(Timestamp.string(now))
        record["clinic"] = .string(tenant.definition.name)
        let summary = page(title: title, number: number, clinic: tenant.definition.name, madeAt: madeAt, sections: sections, files: files.map(\.name))
        let archive = try ZIPFoundation.Archive(data: Data(), accessMode: .create)
        try add("summary.html", Data(summary.utf8), to: archive)
        try add("record.json", JSON.encode(JSONValue.object(record)), to: archive)
        for file in files { try add("documents/" + file.name, file.bytes, to: archive) }
        return Archive(fileName: "\(number)-record.zip", bytes: archive.data ?? Data())
    }

    private static func add(_ path: String, _ bytes: Data, to archive: ZIPFoundation.Archive) throws {
        try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .deflate) { position, size in
            bytes.subdata(in: Int(position)..<Int(position) + size)
        }
    }

    /// A row as JSON, every column: numbers stay numbers, text stays text; blobs are the files, not the JSON's.
    private static func json(_ row: Row) -> JSONValue {
        var object: [String: JSONValue] = [:]
        for (column, value) in row {
            switch value.storage {
            case .null: object[column] = .null
            case .int64(let number): object[column] = .integer(number)
            case .double(let number): object[column] = .number(number)
            case .string(let text): object[column] = .string(text)
            case .blob: continue
            }
        }
        return .object(object)
    }

    private static func section(_ table: PatientExportTable, _ rows: [Row], notes: [String], currency: String) -> String {
        var html = "<section>\n<h2>\(HTML.escape(table.title))</h2>\n"
        if rows.isEmpty {
            html += "<p>None recorded.</p>\n"
        } else {
            html +=
                "<table>\n<thead><tr>" + table.summary.map { "<th scope=\"col\">\(HTML.escape($0.heading))</th>" }.joined()
                + "</tr></thead>\n<tbody>\n"
            for row in rows {
                html += "<tr>"
                for (column, _) in table.summary {
                    let value: DatabaseValue? = row[column]
                    let shown =
                        table.money.contains(column)
                        ? (Int64.fromDatabaseValue(value ?? .null).map { Money.format($0, currency: currency) } ?? "") : text(value)
                    html += "<td>\(HTML.escape(shown))</td>"
                }
                html += "</tr>\n"
            }
            html += "</tbody>\n</table>\n"
        }
        for note in notes { html += "<p class=\"note\">\(HTML.escape(note))</p>\n" }
        return html + "</section>\n"
    }

    private static func text(_ value: DatabaseValue?) -> String {
        switch value?.storage {
        case .int64(let number)?: String(number)
        case .double(let number)?: String(number)
        case .string(let text)?: text
        default: ""
        }
    }

    private static func page(title: String, number: String, clinic: String, madeAt: String, sections: [String], files: [String]) -> String {
        let documents =
            files.isEmpty
            ? ""
            : "<p>The documents are in the folder <code>documents</code> beside this page: " + files.map(HTML.escape).joined(separator: ", ")
                + ".</p>\n"
        return """
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><title>Record of \(HTML.escape(title)) (\(HTML.escape(number)))</title>
            <style>body{font:11pt/1.4 system-ui,sans-serif;margin:1.5cm;color:#111}table{border-collapse:collapse;width:100%;margin:.3rem 0 1rem}th,td{border:1px solid #999;padding:.2rem .4rem;text-align:left;vertical-align:top}h2{margin-top:1.2rem;font-size:1.1rem}.note{font-style:italic}</style>
            </head>
            <body>
            <h1>Record of \(HTML.escape(title)) <small>\(HTML.escape(number))</small></h1>
            <p>A copy of the record \(HTML.escape(clinic)) keeps about this patient, made on \(HTML.escape(madeAt)). The same record, every field, is in <code>record.json</code>.</p>
            \(documents)\(sections.joined())</body>
            </html>

            """
    }
}
