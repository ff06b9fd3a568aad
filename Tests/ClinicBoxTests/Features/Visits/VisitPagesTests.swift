import ClinicBox
import ClinicBoxCore
import Foundation
import GRDB
import HummingbirdTesting
import Testing

/// A consultation on the pages: from the waiting list to a signed visit with an addendum.
@Suite struct VisitPagesTests {
    @Test func aClinicianStartsAVisitFromTheWaitingListWritesItSignsItAndAmendsIt() async throws {
        let scenario = try await ClinicScenario(tenant: "clinic") { try await VisitsAPITests.server($0) }
        let server = scenario.server
        try await scenario.run { session in
            let desk = try await session.signIn("desk@example.com")
            let (patient, appointment) = try await VisitsAPITests.checkedIn(desk, doctor: try await VisitsAPITests.userID(server, "doc@example.com"))
            var doc = WebBrowser(session.client)
            _ = try await doc.signIn(tenant: "clinic", email: "doc@example.com", password: TestUsers.password)
            let waiting = try await doc.get("/t/clinic/visits")
            #expect(
                waiting.text.contains(#"Ada Lovelace <span class="nowrap">(P-000001)</span>"#)
                    && waiting.text.contains(#"href="/t/clinic/visits/new?appointment=\#(appointment)""#)
            )

            let form = try await doc.get("/t/clinic/visits/new?appointment=\(appointment)")
            #expect(form.text.contains("Patient <strong>Ada Lovelace (P-000001)</strong>, checked in at Main."))
            let typed = [
                "appointment_id": String(appointment), "temperature": "57", "weight": "70,5", "height": "175", "subjective": "Cough for five days.",
                "diagnosis_1": "Acute bronchitis", "diagnosis_code_1": "J20",
            ]
            let refused = try await doc.post("/t/clinic/visits", typed)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains(#"<p class="field-error" id="temperature-error">57 °C is outside 25–45 °C</p>"#))
            #expect(
                refused.text.contains(#"value="70,5""#) && refused.text.contains(">Cough for five days.</textarea>")
                    && refused.text.contains(#"value="Acute bronchitis""#)
            )

            var fixed = typed
            fixed["temperature"] = "37.9"
            fixed["diagnosis_code_1"] = "bronchitis"
            let badCode = try await doc.post("/t/clinic/visits", fixed)
            #expect(
                badCode.text.contains(#"<p class="field-error" id="diagnosis_code_1-error">must be an ICD-10 code"#),
                "the message is beside the row it belongs to"
            )
            fixed["diagnosis_code_1"] = "J20.9"
            let started = try await doc.post("/t/clinic/visits", fixed)
            #expect(started.status == .seeOther)
            let visit = try #require(started.headers[.location]?.split(separator: "?").first.map(String.init))
            let shown = try await doc.get(visit)
            #expect(shown.text.contains("<dt>Temperature</dt><dd>37.9 °C</dd>") && shown.text.contains("<dt>BMI</dt><dd>23</dd>"))
            #expect(shown.text.contains("<li>Acute bronchitis (J20.9)</li>"))

            let confirm = try await doc.get(visit + "/sign")
            #expect(confirm.text.contains("Sign visit V-000001?"))
            #expect(try await doc.post(visit + "/sign", ["version": "1"]).status == .seeOther)
            let signed = try await doc.get(visit)
            #expect(signed.text.contains("Signed by Dr Amina Njoroge") && !signed.text.contains(">Edit</a>"))
            #expect(try await doc.post(visit, ["version": "2", "plan": "rewrite"]).status == .conflict, "a signed visit cannot be edited")
            #expect(try await doc.post(visit + "/addenda", ["text": "Sputum culture negative."]).status == .seeOther)
            #expect(try await doc.get(visit).text.contains(#"<p class="note-text">Sputum culture negative.</p>"#))

            // A scan filed from the visit's page belongs to the visit (a signed one too: filing changes no note) and
            // is listed there; the page comes back to the visit.
            #expect(try await doc.get(visit).text.contains("No documents filed to this visit."))
            var program = MultipartForm([("title", "Chest X-ray")])
            program.addFile(fileName: "xray.png", type: "image/png", bytes: MultipartForm.program)
            let notAScan = try await doc.upload(visit + "/documents", program)
            #expect(notAScan.status == .unsupportedMediaType)
            #expect(notAScan.text.contains(#"<p class="field-error" id="visit-document-error">This file is a Linux program;"#))
            #expect(
                notAScan.text.contains(#"value="Chest X-ray""#) && notAScan.text.contains("<h1>Visit V-000001"),
                "back on the visit, the title kept"
            )
            var xray = MultipartForm([("title", "Chest X-ray")])
            xray.addFile(fileName: "xray.png", type: "image/png", bytes: MultipartForm.png)
            let filed = try await doc.upload(visit + "/documents", xray)
            #expect(filed.headers[.location] == visit + "?saved=1#documents-title")
            let withDocument = try await doc.get(visit).text
            #expect(withDocument.contains(#"<a href="/t/clinic/patients/\#(patient)/documents/1">Chest X-ray</a>"#))

            // The receptionist sees the patient's chart and appointments, not the visit.
            var front = WebBrowser(session.client)
            _ = try await front.signIn(tenant: "clinic", email: "desk@example.com", password: TestUsers.password)
            #expect(try await front.get(visit).status == .forbidden)
            #expect(try await front.get("/t/clinic/patients/\(patient)").text.contains("Ada Lovelace"))
        }
    }

    /// The chart's last vitals: each vital's latest reading, and weight and blood pressure drawn as SVG (no script).
    @Test func theChartShowsTheLastVitalsAndTheirTrendToCliniciansOnly() async throws {
        let scenario = try await ClinicScenario(tenant: "clinic") { try await VisitsAPITests.server($0) }
        let server = scenario.server
        try await scenario.run { session in
            let doc = try await session.signIn("doc@example.com")
            let patient = try #require(try await doc.create("patients", TestRecords.ada)["id"] as? Int)
            var chart = WebBrowser(session.client)
            _ = try await chart.signIn(tenant: "clinic", email: "doc@example.com", password: TestUsers.password)
            #expect(try await chart.get("/t/clinic/patients/\(patient)").text.contains("No vitals recorded at a visit yet."))
            for (day, weight, systolic, diastolic) in [("2026-03-02", 74.0, 142, 91), ("2026-06-01", 72.5, 135, 88), ("2026-09-01", 71.0, nil, nil)]
                as [(String, Double, Int?, Int?)]
            {
                var visit: [String: Any] = ["patient_id": patient, "branch": "main", "weight": weight, "temperature": 36.8, "height": 170]
                if let systolic, let diastolic {
                    visit["systolic"] = systolic
                    visit["diastolic"] = diastolic
                }
                let id = try #require(try await doc.create("visits", visit)["id"] as? Int)
                // Back-dated as if seen that day (an open visit can still be changed).
                let database = try await server.databases.database(for: TenantID("clinic")!, creating: true)
                try await database.write { db in
                    try db.execute(sql: "UPDATE visits SET visit_date = ?, started_at = ? || 'T08:00:00Z' WHERE id = ?", arguments: [day, day, id])
                }
            }
            let page = try await chart.get("/t/clinic/patients/\(patient)").text
            #expect(page.contains(#"<h2 id="panel-vitals-title">Last vitals</h2>"#))
            #expect(
                page.contains("<dt>Blood pressure</dt><dd>135/88 mmHg <span class=\"muted\">1 Jun 2026, 10:00</span></dd>"),
                "the latest reading that has one"
            )
            #expect(page.contains("<dt>Weight</dt><dd>71 kg <span class=\"muted\">1 Sep 2026, 10:00</span></dd>"))
            #expect(page.contains("<dt>BMI</dt><dd>24.6"))
            #expect(page.contains(#"aria-label="Weight: Weight from 74 kg on 2 Mar 2026 to 71 kg on 1 Sep 2026, 3 readings""#))
            #expect(
                page.contains("Blood pressure: Systolic from 142 mmHg on 2 Mar 2026 to 135 mmHg on 1 Jun 2026, 2 readings; Diastolic from 91 mmHg")
            )
            #expect(page.components(separatedBy: "<polyline ").count - 1 == 3, "weight, systolic and diastolic")
            #expect(!page.contains("style="), "no inline style, which the Content-Security-Policy would block")
            // The rendered panel is kept between views: a new reading must be on the next view all the same.
            _ = try await doc.create("visits", ["patient_id": patient, "branch": "main", "weight": 70.2])
            let again = try await chart.get("/t/clinic/patients/\(patient)").text
            #expect(again.contains("<dt>Weight</dt><dd>70.2 kg") && !again.contains("<dt>Weight</dt><dd>71 kg"))
            #expect(again.contains("to 70.2 kg on"), "and the trend's summary")

            var front = WebBrowser(session.client)
            _ = try await front.signIn(tenant: "clinic", email: "desk@example.com", password: TestUsers.password)
            #expect(!(try await front.get("/t/clinic/patients/\(patient)").text.contains("Last vitals")), "vitals are clinical content")
        }
    }

    @Test func theVisitSummaryPrintsForThePatientAndThePrintIsAudited() async throws {
        let scenario = try await ClinicScenario(tenant: "clinic") { try await VisitsAPITests.server($0) }
        let server = scenario.server
        try await scenario.run { session in
            let (doc, desk) = (try await session.signIn("doc@example.com"), try await session.signIn("desk@example.com"))
            let (patient, appointment) = try await VisitsAPITests.checkedIn(desk, doctor: try await VisitsAPITests.userID(server, "doc@example.com"))
            let visit = try await doc.create(
                "visits",
                [
                    "appointment_id": appointment, "temperature": 38.4, "subjective": "Cough for five days.",
                    "plan": "Amoxicillin for five days; come back if the fever lasts.",
                    "diagnoses": [["description": "Pneumonia, unspecified", "icd10_code": "j189"]],
                ]
            )
            let id = try #require(visit["id"] as? Int)
            _ = try await doc.post("visits/\(id)/sign", ["version": 1])
            var browser = WebBrowser(session.client)
            _ = try await browser.signIn(tenant: "clinic", email: "doc@example.com", password: TestUsers.password)
            #expect(
                try await browser.get("/t/clinic/visits/\(id)").text.contains(
                    #"href="/t/clinic/visits/\#(id)/print">Print a summary for the patient</a>"#
                )
            )
            let summary = try await browser.get("/t/clinic/visits/\(id)/print").text
            BillingPrintoutTests.expectOnlyTheDocument(summary)
            #expect(summary.contains("<h1>Visit summary</h1>") && summary.contains("Ada Lovelace (P-000001)") && summary.contains("Dr Amina Njoroge"))
            #expect(summary.contains("<li>Pneumonia, unspecified (J18.9)</li>") && summary.contains("come back if the fever lasts"))
            #expect(summary.contains("38.4 °C") && summary.contains("Signed by Dr Amina Njoroge") && !summary.contains("not yet signed"))
            // A receptionist may not read the visit, on paper either.
            var front = WebBrowser(session.client)
            _ = try await front.signIn(tenant: "clinic", email: "desk@example.com", password: TestUsers.password)
            #expect(try await front.get("/t/clinic/visits/\(id)/print").status == .forbidden)
            let database = try await server.databases.database(for: TenantID("clinic")!, creating: true)
            let printed = try await database.read { db in
                try String.fetchAll(
                    db,
                    sql: "SELECT json_extract(changes, '$.what.after') FROM audit_log WHERE action = 'patients.chart_viewed' AND entity_id = ?",
                    arguments: [String(patient)]
                )
            }
            #expect(printed.contains("visit V-000001 summary printed"))
        }
    }
}
