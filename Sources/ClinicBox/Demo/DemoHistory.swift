import Appointments
import ClinicBoxCore
import Foundation
import Inventory
import Patients
import Prescriptions
import Reports
import Sales
import Treatments
import Visits

/// The history a demo patient's chart opens with, so a newcomer sees a living record rather than an empty one: a
/// problem on the list, past visits signed months apart with blood pressure and weight that make a trend, and a
/// scanned letter. Written by the clinician through the API, as a clinic bringing in its paper history would
/// (`visit_date` in the past: marked entered later).
package struct DemoHistory {
    package let clinician: LocalAPIClient
    package let branch: String
    package let today: CalendarDate
    package let dental: Bool

    /// How many of the first patients get a history.
    package static let patients = 6

    /// Writes the histories and says what it made: "14 past visits".
    package func write(for patients: [Int64], withVisits: Bool) async throws -> String {
        let problems =
            dental
            ? [("Periodontitis, chronic", "K05.3"), ("Bruxism", "F45.8")]
            : [("Essential hypertension", "I10"), ("Type 2 diabetes mellitus", "E11.9"), ("Asthma", "J45.9")]
        var visits = 0
        for (index, patient) in patients.prefix(Self.patients).enumerated() {
            let (problem, code) = problems[index % problems.count]
            _ = try await clinician.create(
                "patients/\(patient)/problems",
                ["description": problem, "icd10_code": code, "noted_on": today.adding(days: -400 - 30 * index).description]
            )
            guard withVisits else { continue }
            // Four visits about three months apart: pressure coming down and weight with it, as treatment works.
            for (step, daysAgo) in [330, 240, 150, 60].enumerated() {
                var body: [String: Any] = [
                    "patient_id": patient, "branch": branch, "visit_date": today.adding(days: -daysAgo - index).description,
                    "subjective": step == 0 ? "First visit for \(problem.lowercased())." : "Review of \(problem.lowercased()).",
                    "assessment": step == 3 ? "\(problem), well controlled." : "\(problem).",
                    "diagnoses": [["description": problem, "icd10_code": code]],
                    "pulse": 78 - step * 2,
                ]
                if !dental {
                    body["systolic"] = 156 - step * 6 - index
                    body["diastolic"] = 98 - step * 4
                    body["weight"] = 88.0 - Double(step) * 1.5 + Double(index)
                    body["height"] = 168 + index * 2
                }
                let visit = try await clinician.create("visits", body)
                try await clinician.send(.post, "visits/\(visit)/sign", [:])
                visits += 1
            }
        }
        if let first = patients.first {
            _ = try await clinician.upload(
                "patients/\(first)/documents",
                fields: ["title": "Referral letter from the district hospital"],
                fileName: "referral.pdf",
                file: Self.letter
            )
        }
        return withVisits ? "\(visits) past visits" : "\(min(patients.count, Self.patients)) problem lists"
    }

    /// A one-page PDF that says what it is.
    package static let letter = Array(
        """
        %PDF-1.4
        1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
        2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
        3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >> endobj
        4 0 obj << /Length 70 >> stream
        BT /F1 14 Tf 72 760 Td (Referral letter - demo document, no real patient) Tj ET
        endstream endobj
        5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj
        trailer << /Root 1 0 R >>
        %%EOF

        """.utf8
    )
}
