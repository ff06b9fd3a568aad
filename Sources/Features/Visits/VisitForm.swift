import ClinicBoxCore
import GRDB
import Patients
import Prescriptions
import Treatments

/// A visit's page form: the notes, the vitals as typed (a comma is a decimal point too) and up to five diagnoses,
/// read into the same `RequestFields` the API validates, with the API's messages moved to the page's boxes.
package struct VisitForm {
    package static let diagnosisRows = 5

    /// The submitted form as the API's fields; the diagnoses sent are rows with a description, in order.
    package static func fields(_ body: FormBody) -> (fields: RequestFields, diagnosisRows: [Int]) {
        var object: [String: JSONValue] = [:]
        for field in VisitContent.fields.all {
            let text = body[field.name]?.trimmingSpaces ?? ""
            object[field.name] =
                if text.isEmpty { .null } else if case .measurement = field.kind {
                    Double(text.replacingOccurrences(of: ",", with: ".")).map(JSONValue.number) ?? .string(text)
                } else { .string(text) }
        }
        var rows: [Int] = []
        var diagnoses: [JSONValue] = []
        for index in 0..<diagnosisRows {
            let description = body["diagnosis_\(index)"]?.trimmingSpaces ?? ""
            let code = body["diagnosis_code_\(index)"]?.trimmingSpaces ?? ""
            guard !(description + code).isEmpty else { continue }
            rows.append(index)
            diagnoses.append(
                .object(["description": description.isEmpty ? .null : .string(description), "icd10_code": code.isEmpty ? .null : .string(code)])
            )
        }
        object["diagnoses"] = .array(diagnoses)
        return (RequestFields(object: object), rows)
    }

    /// The API's field messages under the page's names (`diagnoses[1].icd10_code` → `diagnosis_code_3`).
    package static func pageErrors(_ errors: [String: String], diagnosisRows rows: [Int]) -> [String: String] {
        var page: [String: String] = [:]
        for (name, message) in errors {
            if name.hasPrefix("diagnoses["), let close = name.firstIndex(of: "]"),
                let index = Int(name[name.index(name.startIndex, offsetBy: 10)..<close]), index < rows.count
            {
                page[(name.hasSuffix("icd10_code") ? "diagnosis_code_" : "diagnosis_") + String(rows[index])] = message
            } else {
                page[name] = message
            }
        }
        return page
    }

    /// A stored visit as the form shows it.
    package static func values(_ db: Database, visit row: Row) throws -> [String: String] {
        var values = VisitContent.fields.formValues(of: row)
        values["version"] = String(row["version"] as Int64)
        let diagnoses = try Row.fetchAll(
            db,
            sql: "SELECT description, icd10_code FROM visit_diagnoses WHERE visit_id = ? ORDER BY id",
            arguments: [row["id"] as Int64]
        )
        for (index, diagnosis) in diagnoses.prefix(diagnosisRows).enumerated() {
            values["diagnosis_\(index)"] = diagnosis["description"]
            values["diagnosis_code_\(index)"] = diagnosis["icd10_code"]
        }
        return values
    }

    /// Vitals a dental visit's form leaves out unless the visit already holds them: a dentist rarely measures them.
    package static let notDental: Set<String> = ["systolic", "diastolic", "glucose"]

    /// The form's boxes, in order, each with what was typed and its message; `dental` leaves out `notDental`.
    package static func data(values: [String: String], errors: [String: String], dental: Bool = false) -> [String: Any] {
        func field(_ name: String, _ label: String, _ kind: FormField.Kind = .input(type: "text")) -> FormField {
            FormField(name: name, label: label, kind: kind, value: values[name] ?? "", autocomplete: "off", error: errors[name])
        }
        let shown = { (field: RecordField) in field.formField(value: values[field.name] ?? "", error: errors[field.name], autocomplete: "off") }
        return [
            "notes": VisitContent.notes.map(shown),
            "vitals": Vital.all.filter { vital in
                !dental || !notDental.contains(vital.name) || !(values[vital.name] ?? "").isEmpty || errors[vital.name] != nil
            }.map { shown($0.field) },
            "diagnoses": (0..<diagnosisRows).map { index -> [String: Any] in
                [
                    "number": String(index + 1),
                    "fields": [field("diagnosis_\(index)", "Diagnosis \(index + 1)"), field("diagnosis_code_\(index)", "ICD-10 code")],
                ]
            },
        ]
    }
}
