import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import ClinicBox
@testable import ClinicBoxCore
@testable import Clinical
@testable import Inventory
@testable import Patients
@testable import Visits

/// What a hostile probe of the clinical record found (issue #31, item 10), each through the real stack: the chart
/// kept to the reader's branches, look-alike medicine names, fractional whole-number vitals, diagnoses moved into
/// signed visits, unaudited inline images, and the smaller holes around documents.
@Suite struct ClinicalProbeTests {
    /// A clinic with branches main and north: doc (a clinician of every branch), nurse (a clinician of north only),
    /// desk (front desk of main).
    static func server(_ workspace: TestWorkspace) async throws -> ClinicBoxServer {
        try workspace.write(
            "clinic",
            TestTenant.yaml(
                "clinic",
                features: ["patients", "appointments", "visits", "prescriptions"],
                extra: """
                    branches:
                      - code: main
                        name: Main
                      - code: north
                        name: North
                    """
            )
        )
        let server = try await workspace.server()
        let accounts = try await server.accounts("clinic")
        for (email, name, role, branches) in [
            ("doc@example.com", "Dr Amina Njoroge", Role.clinician, [String]()), ("nurse@example.com", "Nurse Joy", .clinician, ["north"]),
            ("desk@example.com", "Desk", .staff, ["main"]),
        ] {
            _ = try await accounts.create(
                .init(email: email, displayName: name, role: role, branches: branches, password: TestUsers.password),
                by: .commandLine
            )
        }
        return server
    }

    static func database(_ server: ClinicBoxServer) async throws -> TenantDatabase {
        try await server.databases.database(for: TenantID("clinic")!, creating: true)
    }

    static func titles(_ chart: [String: Any]) -> [String] { (chart["timeline"] as? [[String: Any]])?.compactMap { $0["title"] as? String } ?? [] }

    @Test func theChartShowsWhatHappenedAtABranchOnlyToThoseWhoWorkThere() async throws {
        let scenario = try await ClinicScenario(tenant: "clinic") { try await Self.server($0) }
        let server = scenario.server
        try await scenario.run { session in
            let doc = try await session.signIn("doc@example.com")
            let nurse = try await session.signIn("nurse@example.com")
            let patient = try #require(try await doc.create("patients", TestRecords.ada)["id"] as? Int)
            let docID = try await VisitsAPITests.userID(server, "doc@example.com")
            let booked = try await doc.create(
                "appointments",
                ["patient_id": patient, "practitioner_id": docID, "branch": "main", "start": "2030-01-07T09:00", "duration_minutes": 20]
            )
            let visit = try await doc.create(
                "visits",
                [
                    "patient_id": patient, "branch": "main", "systolic": 150, "diastolic": 95,
                    "diagnoses": [["description": "Essential hypertension", "icd10_code": "I10"]],
                ]
            )
            let visitID = try #require(visit["id"] as? Int)
            let north = try await nurse.create("visits", ["patient_id": patient, "branch": "north", "pulse": 64])
            let filed = try await doc.upload(
                "patients/\(patient)/documents",
                DocumentsAPITests.pngAsPDF(title: "ECG at main").adding("visit_id", String(visitID))
            )
            #expect(filed.status == .created, "\(filed.text)")
            let document = try #require(filed.json["id"] as? Int)

            // The probe: nurse got 404 for main's visit and appointment yet read both on the chart's timeline.
            #expect(try await nurse.get("visits/\(visitID)").status == .notFound)
            #expect(try await nurse.get("appointments/\(booked["id"]!)").status == .notFound)
            let everything = Self.titles(try await doc.get("patients/\(patient)/chart").json)
            #expect(
                everything.contains("Visit V-000001") && everything.contains("Visit V-000002") && everything.contains { $0.hasPrefix("Appointment") }
            )
            #expect(everything.contains("Document “ECG at main”"))
            let seenFromNorth = Self.titles(try await nurse.get("patients/\(patient)/chart").json)
            #expect(seenFromNorth == ["Visit \(north["number"]!)"], "\(seenFromNorth)")

            // Documents filed to main's visit: not listed, not opened, not filed to from north.
            #expect(try await nurse.get("patients/\(patient)/documents").items.isEmpty)
            #expect(try await nurse.get("documents/\(document)").status == .notFound)
            #expect(try await doc.get("documents/\(document)").status == .ok)
            let intoMain = try await nurse.upload(
                "patients/\(patient)/documents",
                DocumentsAPITests.pngAsPDF(title: "Sneaky").adding("visit_id", String(visitID))
            )
            #expect(intoMain.fieldErrors == ["visit_id": "is not one of this patient's visits that you can see"])

            // The chart page: main's vitals and visit are not in the nurse's panel or timeline.
            var browser = WebBrowser(session.client)
            try await browser.signIn(tenant: "clinic", email: "nurse@example.com", password: TestUsers.password)
            let page = try await browser.get("/t/clinic/patients/\(patient)").text
            #expect(page.contains("V-000002") && !page.contains("V-000001") && !page.contains("150/95") && !page.contains("ECG at main"))
            var docBrowser = WebBrowser(session.client)
            try await docBrowser.signIn(tenant: "clinic", email: "doc@example.com", password: TestUsers.password)
            let docPage = try await docBrowser.get("/t/clinic/patients/\(patient)").text
            #expect(docPage.contains("V-000001") && docPage.contains("150/95 mmHg") && docPage.contains("ECG at main"))
        }
    }

    /// Documents filed to visits before `patients.v9` take their visit's branch when the step runs.
    @Test func documentsFiledBeforeTheBranchStepTakeTheirVisitsBranch() async throws {
        let workspace = try TestWorkspace()
        let catalog = FeatureCatalog.standard
        let all = TenantSchema.forTenant(features: ["patients", "visits"], catalog: catalog)
        let before = TenantSchema(steps: all.steps.filter { $0.id != "patients.v9" })
        let id = TenantID("older")!
        let old = try TenantDatabase.openForTests(id, in: workspace.data, schema: before)
        try await old.write { db in
            try db.execute(
                sql: """
                    INSERT INTO users (id, email, display_name, role, branches, password_hash, password_changed_at, created_at, updated_at)
                        VALUES (1, 'a@example.com', 'A', 'clinician', '[]', 'x', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
                    INSERT INTO patients (id, number, first_name, last_name, sort_name, version, created_at, updated_at)
                        VALUES (1, 'P-1', 'Ada', 'Lovelace', 'lovelace ada', 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
                    INSERT INTO visits (id, number, patient_id, branch, practitioner_id, practitioner_name, visit_date, started_at, status, version, created_at, updated_at)
                        VALUES (1, 'V-1', 1, 'north', 1, 'A', '2026-01-01', '2026-01-01T09:00:00Z', 'open', 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
                    INSERT INTO patient_documents (patient_id, visit_id, title, media_type, byte_count, sha256, clinical, uploaded_by_name, created_at)
                        VALUES (1, 1, 'at the visit', 'application/pdf', 3, 'x', 1, 'A', '2026-01-01T00:00:00Z'),
                               (1, NULL, 'to the patient', 'application/pdf', 3, 'x', 1, 'A', '2026-01-01T00:00:00Z');
                    """
            )
        }
        try await old.checkpointAndClose()
        let migrated = try TenantDatabase.openForTests(id, in: workspace.data, schema: all)
        let branches = try await migrated.read { db in try String?.fetchAll(db, sql: "SELECT branch FROM patient_documents ORDER BY id") }
        #expect(branches == ["north", nil])
        await #expect(throws: DatabaseError.self, "the append-only trigger is back") {
            try await migrated.write { db in try db.execute(sql: "UPDATE patient_documents SET title = 'changed'") }
        }
    }

    @Test(arguments: [
        ("Amoxi\u{200B}cillin", "must not contain tabs, line breaks or invisible characters"),
        ("Amoxi\tcillin", "must not contain tabs, line breaks or invisible characters"),
        ("Am\u{043E}xicillin", "mixes Cyrillic and Latin letters in “Am\u{043E}xicillin”: type it again in one alphabet"),
    ])
    func aMedicineNameThatHidesItsLettersIsRefusedWhereItIsTyped(medicine: String, message: String) async throws {
        let scenario = try await ClinicScenario(tenant: "clinic") { try await Self.server($0) }
        try await scenario.run { session in
            let doc = try await session.signIn("doc@example.com")
            let patient = try #require(try await doc.create("patients", TestRecords.ada)["id"] as? Int)
            _ = try await doc.create("patients/\(patient)/allergies", ["substance": "Penicillin", "reaction": "anaphylaxis", "severity": "severe"])
            let written = try await doc.post(
                "prescriptions",
                ["patient_id": patient, "items": [["medicine": medicine, "dose": "1 three times a day", "quantity": 15]]]
            )
            #expect(written.status == .unprocessableContent && written.fieldErrors == ["items[0].medicine": message], "\(written.text)")
            let allergy = try await doc.post("patients/\(patient)/allergies", ["substance": medicine, "severity": "mild"])
            #expect(allergy.fieldErrors == ["substance": message])

            var browser = WebBrowser(session.client)
            try await browser.signIn(tenant: "clinic", email: "doc@example.com", password: TestUsers.password)
            try await browser.get("/t/clinic/prescriptions/new")
            let page = try await browser.post(
                "/t/clinic/prescriptions",
                ["patient": "P-000001", "medicine_0": medicine, "dose_0": "1 three times a day", "quantity_0": "15"]
            )
            #expect(page.status == .unprocessableContent && page.text.contains(message), "\(page.text)")
        }
    }

    /// Names already stored with look-alike letters or invisible characters (before they were refused) still match.
    @Test func theAllergyCheckReadsThroughInvisibleAndLookAlikeCharacters() {
        for written in ["Amoxi\u{200B}cillin", "Am\u{043E}xicillin", "\u{0410}MOXICILLIN", "Amoxi\u{00AD}cillin"] {
            #expect(AllergyCheck.words(written).contains("amoxicillin"), "\(written.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        #expect(SubstanceName.problem("Пенициллин") == nil, "a name wholly in another alphabet is a name")
        #expect(SubstanceName.problem("Co-amoxiclav 625 mg") == nil)
    }

    @Test func aWholeNumberVitalWithAFractionIsRefusedNotRounded() async throws {
        let scenario = try await ClinicScenario(tenant: "clinic") { try await Self.server($0) }
        try await scenario.run { session in
            let doc = try await session.signIn("doc@example.com")
            let patient = try #require(try await doc.create("patients", TestRecords.ada)["id"] as? Int)
            let refused = try await doc.post("visits", ["patient_id": patient, "branch": "main", "pulse": 72.5, "spo2": 97.2, "temperature": 37.25])
            #expect(refused.fieldErrors == ["pulse": "must be a whole number (/min), not 72.5", "spo2": "must be a whole number (%), not 97.2"])
            let visit = try await doc.create("visits", ["patient_id": patient, "branch": "main", "pulse": 72.0, "temperature": 37.25])
            #expect(visit["pulse"] as? Int == 72 && visit["temperature"] as? Double == 37.3)
        }
    }

    @Test func nothingMovesIntoASignedVisitNotEvenBySQL() async throws {
        let scenario = try await ClinicScenario(tenant: "clinic") { try await Self.server($0) }
        let server = scenario.server
        try await scenario.run { session in
            let doc = try await session.signIn("doc@example.com")
            let patient = try #require(try await doc.create("patients", TestRecords.ada)["id"] as? Int)
            let signed = try #require(
                try await doc.create("visits", ["patient_id": patient, "branch": "main", "diagnoses": [["description": "Asthma"]]])["id"] as? Int
            )
            #expect(try await doc.post("visits/\(signed)/sign", [:]).status == .ok)
            _ = try await doc.create("visits/\(signed)/addenda", ["text": "Peak flow normal."])
            _ = try await doc.upload(
                "patients/\(patient)/documents",
                DocumentsAPITests.pngAsPDF(title: "Peak flow").adding("visit_id", String(signed))
            )
            let open = try #require(
                try await doc.create("visits", ["patient_id": patient, "branch": "main", "diagnoses": [["description": "Gout"]]])["id"] as? Int
            )
            let database = try await Self.database(server)
            for sql in [
                "UPDATE visit_diagnoses SET visit_id = \(signed) WHERE visit_id = \(open)",
                "UPDATE visit_addenda SET visit_id = \(open) WHERE visit_id = \(signed)",
                "UPDATE patient_documents SET visit_id = \(open) WHERE visit_id = \(signed)",
            ] {
                await #expect(throws: DatabaseError.self, "\(sql)") { try await database.write { db in try db.execute(sql: sql) } }
            }
            let diagnoses = try await database.read { db in
                try String.fetchAll(db, sql: "SELECT description FROM visit_diagnoses WHERE visit_id = ?", arguments: [signed])
            }
            #expect(diagnoses == ["Asthma"])
            // The open visit's own diagnoses still change, as notes in progress do.
            #expect(try await doc.patch("visits/\(open)", ["version": 1, "diagnoses": [["description": "Gout, acute"]]]).status == .ok)
        }
    }

    @Test func anImageShownOnTheChartIsAuditedAsAViewOfThatDocument() async throws {
        let scenario = try await ClinicScenario(tenant: "clinic") { try await Self.server($0) }
        let server = scenario.server
        try await scenario.run { session in
            let doc = try await session.signIn("doc@example.com")
            let patient = try #require(try await doc.create("patients", TestRecords.ada)["id"] as? Int)
            let document = try #require(
                try await doc.upload("patients/\(patient)/documents", DocumentsAPITests.pngAsPDF(title: "Rash, left arm")).json["id"] as? Int
            )
            var browser = WebBrowser(session.client)
            try await browser.signIn(tenant: "clinic", email: "doc@example.com", password: TestUsers.password)
            for _ in 0..<2 {
                let image = try await browser.get("/t/clinic/patients/\(patient)/documents/\(document)?inline=1")
                #expect(image.status == .ok && image.headers[.contentDisposition]?.hasPrefix("inline") == true)
            }
            let database = try await Self.database(server)
            let views = try await database.read { db in
                try String.fetchAll(
                    db,
                    sql: "SELECT changes FROM audit_log WHERE action = 'patients.chart_viewed' AND changes LIKE '%shown on the chart%'"
                )
            }
            #expect(views.count == 2, "every fetch of the whole file is recorded")
            #expect(views.allSatisfy { $0.contains("Rash, left arm") && $0.contains("\"document\"") })
        }
    }

    @Test func theFrontDeskCannotFileToVisitsAndLearnsNothingOfThem() async throws {
        let scenario = try await ClinicScenario(tenant: "clinic") { try await Self.server($0) }
        try await scenario.run { session in
            let doc = try await session.signIn("doc@example.com")
            let desk = try await session.signIn("desk@example.com")
            let patient = try #require(try await doc.create("patients", TestRecords.ada)["id"] as? Int)
            let other = try #require(
                try await doc.create("patients", ["first_name": "Grace", "last_name": "Hopper", "date_of_birth": "1906-12-09"])["id"] as? Int
            )
            let visit = try #require(try await doc.create("visits", ["patient_id": other, "branch": "main"])["id"] as? Int)
            for target in [String(visit), "999"] {
                let filed = try await desk.upload(
                    "patients/\(patient)/documents",
                    DocumentsAPITests.pngAsPDF(title: "Card", clinical: "false").adding("visit_id", target)
                )
                #expect(
                    filed.status == .forbidden && (filed.json["detail"] as? String)?.contains("only a clinician files a document to a visit") == true,
                    "\(filed.text)"
                )
            }
            // A clinician's wrong number reads the same whether the visit is another patient's or does not exist.
            let theirs = try await doc.upload("patients/\(patient)/documents", DocumentsAPITests.pngAsPDF().adding("visit_id", String(visit)))
            let none = try await doc.upload("patients/\(patient)/documents", DocumentsAPITests.pngAsPDF().adding("visit_id", "999"))
            #expect(
                theirs.fieldErrors == none.fieldErrors && theirs.fieldErrors == ["visit_id": "is not one of this patient's visits that you can see"]
            )
        }
    }

    @Test func aFileNameWithANullIsRefusedAndADownloadKeepsOneExtension() async throws {
        let scenario = try await ClinicScenario(tenant: "clinic") { try await Self.server($0) }
        try await scenario.run { session in
            let doc = try await session.signIn("doc@example.com")
            let patient = try #require(try await doc.create("patients", TestRecords.ada)["id"] as? Int)
            var nul = MultipartForm([("title", "Scan")])
            nul.addFile(fileName: "report\u{0}.exe.pdf", bytes: MultipartForm.pdf)
            #expect(
                try await doc.upload("patients/\(patient)/documents", nul).fieldErrors == [
                    "file": "has a name with control characters; rename the file and send it again"
                ]
            )

            for (title, name) in [("report.pdf", "report.pdf"), ("Report.PDF", "Report.pdf"), ("x-ray.jpeg.pdf", "x-ray.jpeg.pdf")] {
                var form = MultipartForm([("title", title)])
                form.addFile(fileName: "a.pdf", bytes: MultipartForm.pdf)
                let id = try #require(try await doc.upload("patients/\(patient)/documents", form).json["id"] as? Int)
                let download = try await doc.get("documents/\(id)")
                #expect(
                    download.headers[.contentDisposition]?.contains("filename=\"\(name)\"") == true,
                    "\(download.headers[.contentDisposition] ?? "")"
                )
            }
        }
    }

    @Test func ifMatchIsRefusedNotIgnoredAndTheAddendumLimitIsDocumentedAsServed() async throws {
        let scenario = try await ClinicScenario(tenant: "clinic") { try await Self.server($0) }
        try await scenario.run { session in
            let doc = try await session.signIn("doc@example.com")
            let patient = try #require(try await doc.create("patients", TestRecords.ada)["id"] as? Int)
            let stale = try await doc.send(.patch, "patients/\(patient)", ["version": 1, "phone": "+49 30 1234567"], headers: ["If-Match": "\"7\""])
            #expect(stale.status == .badRequest && (stale.json["detail"] as? String)?.contains("does not evaluate If-Match") == true, "\(stale.text)")
            #expect(try await doc.get("patients/\(patient)").json["version"] as? Int == 1, "nothing was changed")
            #expect(try await doc.send(.get, "patients/\(patient)", headers: ["If-None-Match": "\"1\""]).status == .ok, "reads are not refused")

            let openAPI = try await session.client.execute(uri: "/api/v1/openapi.json", method: .get).json
            let addendum = ((openAPI["components"] as? [String: Any])?["schemas"] as? [String: Any])?["Addendum"] as? [String: Any]
            let text = (addendum?["properties"] as? [String: Any])?["text"] as? [String: Any]
            #expect(text?["maxLength"] as? Int == VisitContent.noteLimit)
        }
    }
}

extension MultipartForm {
    /// The same form with one more text part.
    func adding(_ name: String, _ value: String) -> MultipartForm {
        var form = self
        form.add(name, value)
        return form
    }
}
