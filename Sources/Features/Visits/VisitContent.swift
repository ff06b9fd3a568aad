import ClinicBoxCore
import Clinical
import GRDB
import Patients
import Prescriptions
import Treatments

/// What a clinician writes in a visit: the SOAP notes, the vitals and the diagnoses. Read from a request, only the
/// fields it names (a `PATCH` changes just those), each problem recorded with its field.
package struct VisitContent: Sendable {
    package static let noteFields = ["subjective", "objective", "assessment", "plan"]
    package static let fieldNames = Set(noteFields + Vital.names + ["diagnoses"])
    package static let noteLimit = 20_000

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
        for name in noteFields where request.has(name) {
            content.columns.append((name, request.text(name, maxLength: noteLimit).databaseValue))
        }
        for vital in Vital.all where request.has(vital.name) {
            var value = request.measurement(vital.name, in: vital.range, unit: vital.unit)
            // A whole-number vital is counted or read off a scale in whole units: 72.5 is a typing slip, not a pulse to round.
            if vital.whole, let fraction = value, fraction != fraction.rounded() {
                request.fail(vital.name, "must be a whole number (\(vital.unit)), not \(RequestFields.plain(fraction))")
                value = nil
            }
            let stored: DatabaseValue = vital.whole ? value.map { Int64($0) }.databaseValue : value.map { ($0 * 10).rounded() / 10 }.databaseValue
            content.columns.append((vital.name, stored))
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
