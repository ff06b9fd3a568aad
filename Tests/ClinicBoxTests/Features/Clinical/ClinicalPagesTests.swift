import ClinicBox
import ClinicBoxCore
import Foundation
import HummingbirdTesting
import Testing

/// The chart page: the allergy banner for everyone, the problem list for clinicians, who opened it for admins.
@Suite struct ClinicalPagesTests {
    static func server(_ workspace: TestWorkspace) async throws -> ClinicBoxServer {
        let server = try await ClinicalRecordAPITests.server(workspace)
        try await server.addUser("admin@example.com", role: .admin, password: TestUsers.password, to: ["clinic"])
        return server
    }

    @Test func aClinicianRecordsAllergiesAndProblemsOnTheChartAndTheDeskSeesOnlyTheBanner() async throws {
        let scenario = try await ClinicScenario(tenant: "clinic") { try await Self.server($0) }
        try await scenario.run { session in
            let desk = try await session.signIn("desk@example.com")
            let patient = try #require(try await desk.create("patients", TestRecords.ada)["id"] as? Int)
            let chart = "/t/clinic/patients/\(patient)"

            var doc = WebBrowser(session.client)
            _ = try await doc.signIn(tenant: "clinic", email: "doc@example.com", password: TestUsers.password)
            let first = try await doc.get(chart)
            #expect(first.cells.contains("Allergies not recorded."))
            #expect(first.cells.contains("No active problems recorded."))

            // A refused form comes back beside its field, with what was typed.
            let missing = try await doc.post("\(chart)/allergies", ["substance": "", "reaction": "swollen lips", "severity": "severe"])
            #expect(missing.status == .unprocessableContent)
            #expect(missing.cells.contains(#"<p class="field-error" id="substance-error">is required</p>"#))
            #expect(missing.cells.contains(#"value="swollen lips""#))
            let saved = try await doc.post("\(chart)/allergies", ["substance": "Penicillin", "reaction": "swollen lips", "severity": "severe"])
            #expect(saved.status == .seeOther)
            let banner = try await doc.get(chart)
            #expect(banner.cells.contains(#"<section class="allergy-banner severe""#))
            #expect(banner.cells.contains(#"<li class="severe"><strong>Penicillin</strong> — severe: swollen lips</li>"#))
            #expect(!banner.cells.contains("No known allergies</button>"), "not offered while an allergy is active")

            let badCode = try await doc.post("\(chart)/problems", ["description": "Asthma", "icd10_code": "asthma"])
            #expect(badCode.status == .unprocessableContent)
            #expect(badCode.cells.contains(#"id="icd10_code-error">must be an ICD-10 code like J45.9"#) && badCode.cells.contains(#"value="Asthma""#))
            #expect(
                try await doc.post("\(chart)/problems", ["description": "Asthma", "icd10_code": "J45.9", "onset": "2019-03-01"]).status == .seeOther
            )
            #expect(
                try await doc.get(chart).cells.contains(
                    #"<strong>Asthma</strong> <span class="badge">J45.9</span> <span class="muted">since 1 Mar 2019</span>"#
                )
            )

            var front = WebBrowser(session.client)
            _ = try await front.signIn(tenant: "clinic", email: "desk@example.com", password: TestUsers.password)
            let seen = try await front.get(chart)
            #expect(seen.cells.contains("<strong>Penicillin</strong>"), "the banner is safety information")
            #expect(!seen.cells.contains("Asthma") && !seen.cells.contains("Problems</h2>"), "problems are clinical content")
            #expect(!seen.cells.contains("Record an allergy"))
            #expect(try await front.post("\(chart)/problems", ["description": "Flu"]).status == .forbidden)

            var admin = WebBrowser(session.client)
            _ = try await admin.signIn(tenant: "clinic", email: "admin@example.com", password: TestUsers.password)
            let views = try await admin.get(chart).cells
            #expect(views.contains("Who opened this chart"))
            #expect(views.contains("<td>Dr Amina Njoroge</td><td>clinician</td><td>chart</td>"), "viewers are named, not shown by e-mail")
            #expect(views.contains("<td>Desk</td><td>staff</td><td>chart header</td>"))
        }
    }

    @Test func noKnownAllergiesIsRecordedFromTheChartAndAWithdrawnAllergyLeavesItToBeAsked() async throws {
        let scenario = try await ClinicScenario(tenant: "clinic") { try await Self.server($0) }
        try await scenario.run { session in
            let doc = try await session.signIn("doc@example.com")
            let patient = try #require(try await doc.create("patients", TestRecords.ada)["id"] as? Int)
            let chart = "/t/clinic/patients/\(patient)"
            var browser = WebBrowser(session.client)
            _ = try await browser.signIn(tenant: "clinic", email: "doc@example.com", password: TestUsers.password)
            #expect(try await browser.get(chart).cells.contains("No known allergies</button>"))
            #expect(try await browser.post("\(chart)/allergies/none", [:]).status == .seeOther)
            #expect(try await browser.get(chart).cells.contains("No known allergies <span class=\"muted\">(recorded by Dr Amina Njoroge,"))

            let latex = try #require(try await doc.create("patients/\(patient)/allergies", ["substance": "Latex", "severity": "mild"])["id"] as? Int)
            let stale = try await browser.post("\(chart)/allergies/\(latex)", ["version": "7", "status": "inactive"])
            #expect(stale.status == .conflict)
            #expect(stale.cells.contains("This allergy was changed since you read it"))
            #expect(try await browser.post("\(chart)/allergies/\(latex)", ["version": "1", "status": "entered_in_error"]).status == .seeOther)
            let after = try await browser.get(chart).cells
            #expect(after.contains("Allergies not recorded."))
            #expect(after.contains(#"<option value="entered_in_error" selected>Entered In Error</option>"#))
        }
    }
}

extension ClinicalPagesTests {
    @Test func thePrescriptionPageWarnsOfTheAllergyKeepsWhatWasTypedAndShowsTheReasonOnceWritten() async throws {
        let scenario = try await ClinicScenario(tenant: "clinic") { try await Self.server($0) }
        try await scenario.run { session in
            let doc = try await session.signIn("doc@example.com")
            let patient = try #require(try await doc.create("patients", TestRecords.ada)["id"] as? Int)
            _ = try await doc.create("patients/\(patient)/allergies", ["substance": "Penicillin", "severity": "severe", "reaction": "anaphylaxis"])
            var browser = WebBrowser(session.client)
            _ = try await browser.signIn(tenant: "clinic", email: "doc@example.com", password: TestUsers.password)
            _ = try await browser.get("/t/clinic/prescriptions/new")
            let typed = [
                "patient": "P-000001", "medicine_0": "Flucloxacillin", "strength_0": "500 mg", "dose_0": "1 capsule 4 times a day",
                "quantity_0": "28",
            ]
            let warned = try await browser.post("/t/clinic/prescriptions", typed)
            #expect(warned.status == .conflict)
            #expect(
                warned.cells.contains(
                    "Flucloxacillin is a penicillin; Ada Lovelace has a severe allergy to Penicillin (anaphylaxis). Nothing was written."
                )
            )
            #expect(warned.cells.contains(#"<label for="allergy_override_reason">Reason to go ahead despite the allergy"#))
            #expect(warned.cells.contains(#"value="Flucloxacillin""#) && warned.cells.contains(#"value="28""#))

            let written = try await browser.post(
                "/t/clinic/prescriptions",
                typed.merging(["allergy_override_reason": "Skin test negative, allergist letter 2025"]) { $1 }
            )
            #expect(written.status == .seeOther)
            let shown = try await browser.get(try #require(written.headers[.location]))
            #expect(
                shown.cells.contains(
                    "<dt>Written despite an allergy</dt><dd class=\"error\">Skin test negative, allergist letter 2025 (Dr Amina Njoroge)</dd>"
                )
            )
        }
    }
}

/// Filing and opening documents from the chart, as a browser does it (a multipart form, no script).
@Suite struct DocumentPagesTests {
    @Test func aClinicianFilesAScanFromTheChartARefusedFileKeepsTheTitleAndTheDeskSeesOnlyNonClinicalOnes() async throws {
        let scenario = try await ClinicScenario(tenant: "clinic") { try await ClinicalPagesTests.server($0) }
        try await scenario.run { session in
            let desk = try await session.signIn("desk@example.com")
            let patient = try #require(try await desk.create("patients", TestRecords.ada)["id"] as? Int)
            let chart = "/t/clinic/patients/\(patient)"

            var doc = WebBrowser(session.client)
            _ = try await doc.signIn(tenant: "clinic", email: "doc@example.com", password: TestUsers.password)
            #expect(try await doc.get(chart).cells.contains("No documents filed."))
            var program = MultipartForm([("title", "Chest X-ray report"), ("clinical", "true")])
            program.addFile(fileName: "report.pdf", type: "application/pdf", bytes: MultipartForm.program)
            let refused = try await doc.upload("\(chart)/documents", program)
            #expect(refused.status == .unsupportedMediaType)
            #expect(refused.cells.contains(#"<p class="field-error" id="document-file-error">This file is a Linux program;"#))
            #expect(refused.cells.contains(#"value="Chest X-ray report""#), "the title typed is kept")

            var photo = MultipartForm([("title", "Wound, day 3"), ("clinical", "true")])
            photo.addFile(fileName: "IMG_0042.PNG", type: "image/png", bytes: MultipartForm.png)
            let filed = try await doc.upload("\(chart)/documents", photo)
            #expect(filed.status == .seeOther)
            let page = try await doc.get(chart).cells
            #expect(page.contains(#"<img src="/t/clinic/patients/\#(patient)/documents/1?inline=1" alt="Wound, day 3" width="160">"#))
            #expect(page.contains("Document “Wound, day 3”"), "on the timeline too")
            let inline = try await doc.get("\(chart)/documents/1?inline=1")
            #expect(inline.headers[.contentDisposition]?.hasPrefix("inline;") == true && Array(buffer: inline.body) == MultipartForm.png)
            let download = try await doc.get("\(chart)/documents/1")
            #expect(download.headers[.contentDisposition]?.hasPrefix("attachment;") == true)

            var front = WebBrowser(session.client)
            _ = try await front.signIn(tenant: "clinic", email: "desk@example.com", password: TestUsers.password)
            let deskPage = try await front.get(chart).cells
            #expect(!deskPage.contains("Wound, day 3"), "a clinical document is not the front desk's")
            #expect(deskPage.contains("Filed as non-clinical"))
            #expect(try await front.get("\(chart)/documents/1").status == .forbidden)
            var card = MultipartForm([("title", "Insurance card"), ("clinical", "true")])
            card.addFile(fileName: "card.jpg", type: "image/jpeg", bytes: MultipartForm.png)
            #expect(try await front.upload("\(chart)/documents", card).status == .seeOther)
            #expect(
                try await front.get(chart).cells.contains("Insurance card</a> <span class=\"muted\">PNG, 70 bytes"),
                "the desk's tick cannot make it clinical; the bytes say PNG"
            )

            // Filed in error: the desk is offered the form for its own card only; a withdrawal needs a reason (the
            // chart comes back with the message under that document), then the photo leaves the chart and its link says why.
            #expect(try await front.get(chart).cells.components(separatedBy: "Filed in error?").count - 1 == 1)
            #expect(try await doc.get(chart).cells.contains(#"<form method="post" action="/t/clinic/patients/\#(patient)/documents/1/withdraw">"#))
            let noReason = try await doc.post("\(chart)/documents/1/withdraw", ["reason": " "])
            #expect(noReason.status == .unprocessableContent)
            #expect(noReason.cells.contains(#"<p class="field-error" id="withdraw-1-error">The reason must not be empty.</p>"#))
            #expect(noReason.cells.contains("<details open><summary>Filed in error?"))
            let withdrawn = try await doc.post("\(chart)/documents/1/withdraw", ["reason": "Another patient's wound"])
            #expect(withdrawn.status == .seeOther)
            let after = try await doc.get(chart).cells
            #expect(!after.contains("Wound, day 3") && after.contains("Insurance card"))
            let gone = try await doc.get("\(chart)/documents/1")
            #expect(gone.status == .gone && gone.cells.contains("Another patient&#39;s wound"))
        }
    }
}
