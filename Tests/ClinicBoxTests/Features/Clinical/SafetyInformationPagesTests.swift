import Foundation
import GRDB
import HummingbirdTesting
import Testing

@testable import ClinicBox
@testable import ClinicBoxCore
@testable import Patients
@testable import Prescriptions
@testable import Visits

/// Safety information wherever a decision is made (issue #31, item 2): the allergy banner on the visit, the
/// prescription form and page (where dispensing happens) and the till's prescription sale; a refused prescription
/// or dispensing warns at the top of the form in plain words; vitals outside the normal range are flagged.
@Suite struct SafetyInformationPagesTests {
    /// The text of the first element carrying `marker` (its start tag) up to its end tag `close`.
    static func element(_ html: String, _ marker: String, close: String) -> String? {
        guard let start = html.range(of: marker), let end = html.range(of: close, range: start.upperBound..<html.endIndex) else { return nil }
        return String(html[start.lowerBound..<end.upperBound])
    }

    static func banner(_ html: String) -> String? { element(html, #"<section class="allergy-banner"#, close: "</section>") }

    @Test func theBannerStandsOnTheVisitThePrescriptionFormAndPageAndTheTill() async throws {
        let workspace = try TestWorkspace()
        let server = try await PharmacyFixture.server(workspace, features: ["patients", "inventory", "sales", "prescriptions"])
        try await server.application.test(.router) { client in
            let boss = try await APIClient.signIn(client, tenant: "pharm", email: "boss@example.com")
            let (amoxicillin, _) = try await PharmacyFixture.stock(
                boss,
                sku: "AMOX500",
                quantity: 30,
                product: ["name": "Amoxicillin 500 mg", "generic_name": "amoxicillin"]
            )
            let patient = try #require(try await boss.create("patients", TestRecords.ada)["id"] as? Int)
            _ = try await boss.create("patients/\(patient)/allergies", ["substance": "Penicillin", "reaction": "rash", "severity": "severe"])
            var pharmacist = WebBrowser(client)
            try await pharmacist.signIn(tenant: "pharm", email: "pharmacist@example.com", password: TestUsers.password)

            // The chart's Prescribe button opens the form for the patient: the banner is there before anything is typed.
            let form = try await pharmacist.get("/t/pharm/prescriptions/new?patient=P-000001").text
            let onForm = try #require(Self.banner(form), "no banner on the prescription form")
            #expect(
                onForm.contains("Allergies of Ada Lovelace") && onForm.contains("<strong>Penicillin</strong> — severe: rash")
                    && onForm.contains("severe")
            )

            // The medicine is stocked: the form asks which product it is (or whether it is not stocked here) first.
            let typed = [
                "patient": "P-000001", "medicine_0": "Amoxicillin", "strength_0": "500 mg", "dose_0": "1 three times a day", "quantity_0": "15",
            ]
            let asked = try await pharmacist.post("/t/pharm/prescriptions", typed)
            #expect(asked.status == .ok && asked.text.contains("Which product is “Amoxicillin”?") && asked.text.contains("Amoxicillin 500 mg tablet"))
            // Refused: the warning at the top of the form, in words, above the patient and the items; nothing typed lost.
            let refused = try await pharmacist.post(
                "/t/pharm/prescriptions",
                typed.merging(["product_0": String(amoxicillin), "product_for_0": "Amoxicillin"]) { $1 }
            )
            #expect(refused.status == .conflict)
            let warning = try #require(Self.element(refused.text, #"<div class="form-warning""#, close: "</p>"))
            #expect(warning.contains("Amoxicillin is a penicillin; Ada Lovelace has a severe allergy to Penicillin (rash). Nothing was written."))
            let visible = refused.text.replacingOccurrences(of: #"<[^>]*>"#, with: " ", options: .regularExpression)
            #expect(!visible.contains("allergy_override_reason"), "no API field name in what a person reads")
            let order = ["form-warning", "Reason to go ahead despite the allergy", "patient-picker", "allergy-banner", "Item 1"].map {
                refused.text.range(of: $0)?.lowerBound
            }
            #expect(
                order.allSatisfy { $0 != nil } && order.map { $0! } == order.map { $0! }.sorted(),
                "the warning and its reason box first, then the patient and their banner, then the items"
            )
            #expect(refused.text.contains(#"value="Amoxicillin""#) && refused.text.contains(#"value="1 three times a day""#))
            #expect(refused.text.contains("Dispensed as <strong>Amoxicillin 500 mg tablet</strong>"), "the product chosen stays chosen")
            let written = try await pharmacist.post(
                "/t/pharm/prescriptions",
                [
                    "patient": "P-000001", "medicine_0": "Amoxicillin", "dose_0": "1 three times a day", "quantity_0": "15",
                    "product_0": String(amoxicillin),
                    "product_for_0": "Amoxicillin", "allergy_override_reason": "Rash was 20 years ago; tolerated amoxicillin in 2024",
                ]
            )
            let path = try #require(written.headers[.location]).replacingOccurrences(of: "?saved=1", with: "")

            // The prescription's page, where it is dispensed: the banner at the top, and a refused dispensing warns
            // at the top of the dispensing form with what was typed kept.
            let page = try await pharmacist.get(path).text
            #expect(Self.banner(page)?.contains("Penicillin") == true)
            let stopped = try await pharmacist.post(path + "/dispense", ["branch": "main", "item_0": "1", "sku_0": "AMOX500", "quantity_0": "5"])
            #expect(stopped.status == .conflict)
            let dispenseWarning = try #require(Self.element(stopped.text, #"<div class="form-warning""#, close: "</p>"))
            #expect(
                dispenseWarning.contains(
                    "Amoxicillin is a penicillin; Ada Lovelace has a severe allergy to Penicillin (rash). Nothing was dispensed."
                ),
                "\(dispenseWarning)"
            )
            #expect(stopped.text.range(of: "form-warning")!.lowerBound < stopped.text.range(of: "Prescribed items")!.lowerBound)
            #expect(stopped.text.contains(#"name="sku_0" value="AMOX500""#) && stopped.text.contains(#"value="5""#))

            // The till, once the prescription's number is typed.
            var cashier = WebBrowser(client)
            try await cashier.signIn(tenant: "pharm", email: "cashier@example.com", password: TestUsers.password)
            try await cashier.get("/t/pharm/sales")
            let till = try await cashier.post(
                "/t/pharm/sales",
                ["branch": "main", "line_0": "AMOX500", "qty_0": "1", "prescription_reference": "RX-000001", "scan": ""]
            )
            #expect(Self.banner(till.text)?.contains("Allergies of Ada Lovelace") == true)
            #expect(Self.banner(try await cashier.get("/t/pharm/sales").text) == nil, "no prescription, no patient, no banner")
        }
    }

    @Test func theVisitShowsTheBannerAndFlagsVitalsOutsideTheNormalRange() async throws {
        let scenario = try await ClinicScenario(tenant: "clinic") { try await VisitsAPITests.server($0) }
        try await scenario.run { session in
            let doc = try await session.signIn("doc@example.com")
            let patient = try #require(try await doc.create("patients", TestRecords.ada)["id"] as? Int)
            _ = try await doc.create("patients/\(patient)/allergies", ["substance": "Latex", "reaction": "hives", "severity": "moderate"])
            let visit = try #require(
                try await doc.create(
                    "visits",
                    [
                        "patient_id": patient, "branch": "main", "temperature": 38.4, "systolic": 150, "diastolic": 85, "spo2": 92, "pulse": 88,
                    ]
                )["id"] as? Int
            )
            var browser = WebBrowser(session.client)
            try await browser.signIn(tenant: "clinic", email: "doc@example.com", password: TestUsers.password)
            let page = try await browser.get("/t/clinic/visits/\(visit)").text
            #expect(Self.banner(page)?.contains("<strong>Latex</strong> — moderate: hives") == true)
            #expect(page.contains(#"38.4 °C <strong class="vital-flag">high</strong>"#))
            #expect(page.contains(#"150 mmHg <strong class="vital-flag">high</strong>"#) && page.contains("<dd>85 mmHg</dd>"))
            #expect(page.contains(#"92 % <strong class="vital-flag">low</strong>"#) && page.contains("<dd>88 /min</dd>"))
            #expect(Self.banner(try await browser.get("/t/clinic/visits/\(visit)/edit").text) != nil, "and on the visit's form")

            let chart = try await browser.get("/t/clinic/patients/\(patient)").text
            #expect(
                chart.contains(#"150/85 mmHg <strong class="vital-flag">high</strong>"#)
                    && chart.contains(#"38.4 °C <strong class="vital-flag">high</strong>"#)
            )
            #expect(chart.contains(#"88 /min <span class="muted">"#), "a normal pulse is not flagged")
        }
    }

    @Test(
        arguments: [
            ("temperature", 37.9, nil), ("temperature", 38.0, "high"), ("temperature", 34.9, "low"), ("systolic", 139, nil),
            ("systolic", 140, "high"),
            ("systolic", 89, "low"), ("diastolic", 90, "high"), ("spo2", 94, nil), ("spo2", 93, "low"), ("pulse", 100, nil), ("pulse", 101, "high"),
            ("pulse", 59, "low"), ("respiratory_rate", 21, "high"), ("glucose", 11.1, "high"), ("glucose", 3.9, "low"), ("weight", 180, nil),
        ] as [(String, Double, String?)]
    )
    func theNormalRangesAreTheCitedThresholds(vital: String, value: Double, flag: String?) throws {
        let vital = try #require(Vital.named(vital))
        #expect(vital.flag(value) == flag)
        #expect(vital.normal.low == nil && vital.normal.high == nil || !vital.normal.source.isEmpty, "every threshold says where it comes from")
    }
}

/// The visit in context (issue #31, item 3): the appointment's reason, and prescriptions written from the visit.
@Suite struct VisitInContextTests {
    @Test func aPrescriptionWrittenFromTheVisitIsLinkedBothWays() async throws {
        let scenario = try await ClinicScenario(tenant: "clinic") { try await VisitsAPITests.server($0) }
        let server = scenario.server
        try await scenario.run { session in
            let doc = try await session.signIn("doc@example.com")
            let desk = try await session.signIn("desk@example.com")
            let (patient, appointment) = try await VisitsAPITests.checkedIn(desk, doctor: try await VisitsAPITests.userID(server, "doc@example.com"))
            _ = try await desk.patch("appointments/\(appointment)", ["version": 2, "reason": "Cough for a week"])
            let visit = try #require(try await doc.create("visits", ["appointment_id": appointment, "temperature": 38.2])["id"] as? Int)
            var browser = WebBrowser(session.client)
            try await browser.signIn(tenant: "clinic", email: "doc@example.com", password: TestUsers.password)
            let page = try await browser.get("/t/clinic/visits/\(visit)").text
            #expect(page.contains("<strong>Reason for the appointment:</strong> Cough for a week"))
            let prescribe = try #require(
                page.range(of: #"href="[^"]*visit=\d+""#, options: .regularExpression).map { String(page[$0].dropFirst(6).dropLast()) }
            )
            let form = try await browser.get(prescribe.replacingOccurrences(of: "&amp;", with: "&")).text
            #expect(form.contains(#"<input type="hidden" name="visit_id" value="\#(visit)">"#) && form.contains("For <strong>Ada Lovelace</strong>"))
            let written = try await browser.post(
                "/t/clinic/prescriptions",
                [
                    "patient": "P-000001", "visit_id": String(visit), "medicine_0": "Amoxicillin", "dose_0": "1 three times a day",
                    "quantity_0": "15",
                ]
            )
            let rx = try await browser.get(try #require(written.headers[.location])).text
            #expect(rx.contains(#"<dt>Written at</dt><dd><a href="/t/clinic/visits/\#(visit)">Visit V-000001</a></dd>"#))
            #expect(try await browser.get("/t/clinic/visits/\(visit)").text.contains("RX-000001</a> Amoxicillin"))
            // Through the API, a visit of another patient (or none) is refused the same way.
            let other = try #require(
                try await doc.create("patients", ["first_name": "Grace", "last_name": "Hopper", "date_of_birth": "1906-12-09"])["id"] as? Int
            )
            let elsewhere = try await doc.post(
                "prescriptions",
                ["patient_id": other, "visit_id": visit, "items": [["medicine": "Paracetamol", "dose": "as needed", "quantity": 10]]]
            )
            #expect(elsewhere.fieldErrors == ["visit_id": "is not one of this patient's visits that you can see"])
            #expect(try await doc.get("prescriptions?patient_id=\(patient)").items.first?["visit_id"] as? Int == visit)
            // From the visit's side: the API lists what was written there, and the chart's timeline says so.
            #expect(try await doc.get("prescriptions?visit_id=\(visit)").items.map { $0["number"] as? String } == ["RX-000001"])
            #expect(try await doc.get("prescriptions?visit_id=\(visit + 1)").items.isEmpty)
            #expect(try await browser.get("/t/clinic/patients/\(patient)").text.contains("Amoxicillin · by Dr Amina Njoroge at a visit · pending"))
        }
    }
}

/// Bringing the paper history in (issue #31, item 3): past-dated visits, allergies and problems marked as entered
/// later, and a trend that draws two readings of one day apart.
@Suite struct EnteredLaterTests {
    @Test func aVisitAnAllergyAndAProblemFromThePaperHistoryAreMarkedEnteredLater() async throws {
        let scenario = try await ClinicScenario(tenant: "clinic") { try await VisitsAPITests.server($0) }
        try await scenario.run { session in
            let doc = try await session.signIn("doc@example.com")
            let patient = try #require(try await doc.create("patients", TestRecords.ada)["id"] as? Int)
            #expect(
                try await doc.post("visits", ["patient_id": patient, "branch": "main", "visit_date": "2099-01-01"]).fieldErrors == [
                    "visit_date": "must not be in the future"
                ]
            )
            let old = try await doc.create(
                "visits",
                ["patient_id": patient, "branch": "main", "visit_date": "2019-03-03", "systolic": 150, "diastolic": 95]
            )
            #expect(
                old["visit_date"] as? String == "2019-03-03" && old["entered_later"] as? Bool == true
                    && old["started_at"] as? String == "2019-03-03T11:00:00Z"
            )
            let today = try await doc.create("visits", ["patient_id": patient, "branch": "main", "pulse": 70])
            #expect(today["entered_later"] as? Bool == false)
            let allergy = try await doc.create("patients/\(patient)/allergies", ["substance": "Latex", "severity": "mild", "noted_on": "2015-06-01"])
            #expect(allergy["noted_on"] as? String == "2015-06-01")
            #expect(
                try await doc.post("patients/\(patient)/allergies", ["substance": "Pollen", "noted_on": "2099-06-01"]).fieldErrors == [
                    "noted_on": "must not be in the future"
                ]
            )
            _ = try await doc.create("patients/\(patient)/problems", ["description": "Hypertension", "noted_on": "2019-03-03"])

            var browser = WebBrowser(session.client)
            try await browser.signIn(tenant: "clinic", email: "doc@example.com", password: TestUsers.password)
            let visit = try await browser.get("/t/clinic/visits/\(old["id"]!)").text
            #expect(visit.contains("3 Mar 2019 · Main") && visit.contains("Entered later: recorded by Dr Amina Njoroge, "))
            let chart = try await browser.get("/t/clinic/patients/\(patient)").text
            #expect(
                chart.contains("noted 1 Jun 2015, entered later by Dr Amina Njoroge")
                    && chart.contains("noted 3 Mar 2019, entered later by Dr Amina Njoroge")
            )
            let timeline = (try await doc.get("patients/\(patient)/chart").json["timeline"] as? [[String: Any]]) ?? []
            #expect(timeline.last?["detail"] as? String == "Dr Amina Njoroge · open · entered later", "the old visit sits where it happened, last")
        }
    }

    @Test func twoReadingsOnOneDayStandApartInTheTrend() async throws {
        let scenario = try await ClinicScenario(tenant: "clinic") { try await VisitsAPITests.server($0) }
        try await scenario.run { session in
            let doc = try await session.signIn("doc@example.com")
            let patient = try #require(try await doc.create("patients", TestRecords.ada)["id"] as? Int)
            _ = try await doc.create("visits", ["patient_id": patient, "branch": "main", "weight": 70])
            try await Task.sleep(for: .seconds(1.1))
            _ = try await doc.create("visits", ["patient_id": patient, "branch": "main", "weight": 72])
            var browser = WebBrowser(session.client)
            try await browser.signIn(tenant: "clinic", email: "doc@example.com", password: TestUsers.password)
            let chart = try await browser.get("/t/clinic/patients/\(patient)").text
            let weight = try #require(chart.range(of: #"<polyline points="[^"]*""#, options: .regularExpression).map { String(chart[$0]) })
            let xs = weight.dropFirst(17).dropLast().split(separator: " ").map { $0.split(separator: ",")[0] }
            #expect(xs.count == 2 && Set(xs).count == 2, "the two readings of one day are drawn apart, in order: \(weight)")
        }
    }
}

/// A dental visit (issue #31, item 3): a form without blood pressure and glucose unless entered, and the treatment
/// plan's items of that day on the visit.
@Suite struct DentalVisitTests {
    @Test func aDentalVisitShowsTheDaysTreatmentAndLeavesOutWhatADentistRarelyMeasures() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant(
            "dent",
            domain: "dental",
            features: ["patients", "treatments", "visits"],
            extra: "branches:\n  - code: main\n    name: Main\n"
        )
        let server = try await workspace.server()
        try await server.addUser("dentist@example.com", name: "Dr Meera Shah", role: .clinician, password: TestUsers.password, to: ["dent"])
        try await server.application.test(.router) { client in
            let dentist = try await APIClient.signIn(client, tenant: "dent", email: "dentist@example.com")
            let patient = try #require(try await dentist.create("patients", TestRecords.ada)["id"] as? Int)
            let filling = try await dentist.create("treatments", ["patient_id": patient, "tooth": 36, "procedure": "filling", "fee": 8_000])
            _ = try await dentist.patch("treatments/\(filling["id"] as? Int ?? 0)", ["version": 1, "status": "done"])
            _ = try await dentist.create("treatments", ["patient_id": patient, "tooth": 11, "procedure": "crown", "fee": 45_000])
            let visit = try #require(try await dentist.create("visits", ["patient_id": patient, "branch": "main", "pulse": 72])["id"] as? Int)

            var browser = WebBrowser(client)
            try await browser.signIn(tenant: "dent", email: "dentist@example.com", password: TestUsers.password)
            let form = try await browser.get("/t/dent/visits/\(visit)/edit").text
            #expect(form.contains(#"name="pulse""#) && !form.contains(#"name="systolic""#) && !form.contains(#"name="glucose""#))
            let page = try await browser.get("/t/dent/visits/\(visit)").text
            #expect(page.contains("<li>filling on tooth 36</li>") && !page.contains("crown on tooth 11"), "done that day, not planned")
            #expect(page.contains(#"href="/t/dent/treatments?patient=P-000001""#))
            // A reading already entered is shown and kept.
            _ = try await dentist.patch("visits/\(visit)", ["version": 1, "systolic": 135, "diastolic": 85])
            #expect(try await browser.get("/t/dent/visits/\(visit)/edit").text.contains(#"name="systolic""#))
        }
    }
}
