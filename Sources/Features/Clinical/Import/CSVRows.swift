import ClinicBoxCore
import Patients

/// The rows of a CSV file as RFC 4180 writes them (commas, double quotes around a field that holds a comma, a quote
/// or a line break, `""` for a quote inside), each with the line it starts on, so a problem can be named by
/// `file:line:column` as a spreadsheet shows it. A spreadsheet's byte-order mark and `\r\n` line ends are read too.
package struct CSVRows {
    package struct Row {
        /// The line the row starts on, counting from 1.
        package var line: Int
        package var fields: [String]
    }

    package struct Failure: Error {
        package var line: Int
        package var message: String
    }

    package static func parse(_ text: String) throws(Failure) -> [Row] {
        var rows: [Row] = []
        var fields: [String] = []
        var field = ""
        var (line, rowLine) = (1, 1)
        var (quoted, wasQuoted) = (false, false)
        var characters = text.hasPrefix("\u{FEFF}") ? Substring(text.dropFirst()) : Substring(text)
        func endRow() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty && !wasQuoted) { rows.append(Row(line: rowLine, fields: fields)) }
            (fields, field, wasQuoted) = ([], "", false)
        }
        while let character = characters.popFirst() {
            if quoted {
                if character == "\"" {
                    if characters.first == "\"" {
                        field.append("\"")
                        characters.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    if character == "\n" || character == "\r\n" { line += 1 }
                    field.append(character)
                }
                continue
            }
            switch character {
            case ",":
                fields.append(field)
                (field, wasQuoted) = ("", false)
            case "\n", "\r\n", "\r":
                endRow()
                line += 1
                rowLine = line
            case "\"" where field.isEmpty:
                (quoted, wasQuoted) = (true, true)
            default:
                field.append(character)
            }
        }
        if quoted { throw Failure(line: rowLine, message: "a quoted field is not closed (a \" is missing)") }
        if !field.isEmpty || !fields.isEmpty || wasQuoted { endRow() }
        return rows
    }
}
