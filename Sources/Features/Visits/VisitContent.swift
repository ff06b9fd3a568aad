import ClinicBoxCore
import Clinical
import GRDB
import Patients
import Prescriptions
import Treatments

/// What a clinician writes in a visit: the SOAP notes, the vitals and the diagnoses. Read from a request, only the
/// fields it names (a `PATCH` changes just those), each problem recorded with its field.
package struct VisitContent: Sendable {
    package static let noteLimit = 20_000
    /// The SOAP notes, in the order a clinician writes them.
    package static let notes: [RecordField] = [
        .text("subjective", "Subjective (what the patient says)", maxLength: noteLimit, lines: true),
        .text("objective", "Objective (examination)", maxLength: noteLimit, lines: true),
        .text("assessment", "Assessment", maxLength: noteLimit, lines: true),
        .text("plan", "Plan", maxLength: noteLimit, lines: true),
    ]
    /// Every column a clinician writes, described once: the API reads them, the JSON shows them, the OpenAPI
    /// document and the visit form are made from them.
    package static let fields = RecordFields(notes + Vital.all.map(\.field))
    package static let noteFields = notes.map(\.name)
    package static let fieldNames = fields.names.union(["diagnoses"])

    package struct Diagnosis: Sendable, Equatable {
        package var description: String
        package var code: String?
    }

    /// Column → value for the notes and vitals the request named.
    package var columns: [(String, DatabaseValue)] = []
    /// The diagnoses, replacing the visit's, when the request named them.
    package var diagnoses: [Diagnosis]?

    package static func read(_ request: inout RequestFields) -> VisitContent {
        var content = VisitContent()
        for field in fields.all where request.has(field.name) {
            if let value = field.read(&request) { content.columns.append((field.name, value)) }
        }
        if request.isEmptyList("diagnoses") {
            content.diagnoses = []
        } else if request.has("diagnoses") {
            content.diagnoses = request.objects("diagnoses", allowed: ["description", "icd10_code"], maxCount: 20) { item -> Diagnosis? in
                let description = item.text("description", required: true, maxLength: 500)
                var code = item.text("icd10_code", maxLength: 10)
                if let typed = code {
                    code = ICD10.normalized(typed)
                    if code == nil { item.fail("icd10_code", ICD10.shapeMessage) }
                }
                return description.map { Diagnosis(description: $0, code: code) }
            }
        }
        return content
    }

    /// Refuses a diastolic pressure at or above the systolic, as the visit will hold them after this change.
    package func checkPressure(_ request: inout RequestFields, current row: Row?) {
        func value(_ name: String) -> Int64? {
            if let (_, written) = columns.first(where: { $0.0 == name }) { return Int64.fromDatabaseValue(written) }
            return row?[name]
        }
        if let systolic = value("systolic"), let diastolic = value("diastolic"), diastolic >= systolic {
            request.fail("diastolic", "must be below the systolic pressure (\(systolic) mmHg)")
        }
    }
}
