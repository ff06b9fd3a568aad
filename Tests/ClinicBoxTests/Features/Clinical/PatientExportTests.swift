import ClinicBoxCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A patient's own copy of their record: one ZIP that Python's `zipfile` opens, with the summary, the JSON and each
/// document byte for byte; withdrawn documents left out and said so.
@Suite struct PatientExportTests {
    static let branches = "branches:\n  - code: main\n    name: Main\n  - code: north\n    name: North\n"
    static let people =
        ClinicScenario.everyRole + [
            ClinicScenario.Person(email: "north-doc@example.com", name: "Dr North", role: .clinician, branches: ["north"])
        ]

    /// What Python's zipfile reads from `zip`: the names, record.json, summary.html and each document's bytes (hex).
    static func unzip(_ zip: Data) throws -> [String: Any] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID()).zip")
        try zip.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = """
            import json, sys, zipfile
            z = zipfile.ZipFile(sys.argv[1])
            assert z.testzip() is None
            print(json.dumps({"names": z.namelist(), "record": json.loads(z.read("record.json")), "summary": z.read("summary.html").decode(),
                              "documents": {n: z.read(n).hex() for n in z.namelist() if n.startswith("documents/")}}))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script, file.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "python could not read the archive")
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func theCopyHoldsTheWholeRecordAndEachDocumentAsFiled() async throws {
        let clinic = try await ClinicScenario(
            features: ["patients", "appointments", "visits", "prescriptions"],
            extra: Self.branches,
            people: Self.people
        )
        try await clinic.run { session in
            let doctor = try await session.signIn(as: .clinician)
            let patient = try await session.patient(as: doctor)
            _ = try await doctor.create(
                "patients/\(patient)/allergies",
                ["substance": "Penicillin", "severity": "severe", "reaction": "Anaphylaxis"]
            )
            _ = try await doctor.create("patients/\(patient)/problems", ["description": "Asthma", "icd10_code": "J45.9"])
            let visit = try await doctor.create(
                "visits",
                ["patient_id": patient, "branch": "north", "subjective": "Wheeze <since> Monday", "diagnoses": [["description": "Asthma attack"]]]
            )
            _ = try await doctor.create(
                "prescriptions",
                ["patient_id": patient, "items": [["medicine": "Salbutamol inhaler", "dose": "2 puffs", "quantity": 1]]]
            )
            var letter = MultipartForm()
            letter.add("title", "Referral letter")
            letter.addFile(fileName: "referral.pdf", type: "application/pdf", bytes: MultipartForm.pdf)
            let filed = try await doctor.upload("patients/\(patient)/documents", letter)
            #expect(filed.status == .created, "\(filed.text)")
            let wrong = try await doctor.upload("patients/\(patient)/documents", DocumentsAPITests.pngAsPDF(title: "Someone else's scan"))
            let wrongID = try #require(wrong.json["id"] as? Int)
            #expect(try await doctor.post("documents/\(wrongID)/withdraw", ["reason": "another patient's scan"]).status == .ok)

            let answer = try await doctor.get("patients/\(patient)/export")
            #expect(answer.status == .ok && answer.headers[.contentType] == "application/zip")
            #expect(
                answer.headers[.contentDisposition] == "attachment; filename=\"P-000001-record.zip\"" && answer.headers[.cacheControl] == "no-store"
            )
            let copy = try Self.unzip(Data(answer.body.readableBytesView))
            let names = copy["names"] as? [String] ?? []
            let documentID = try #require(filed.json["id"] as? Int)
            #expect(names == ["summary.html", "record.json", "documents/\(documentID)-referral.pdf"])
            let documents = copy["documents"] as? [String: String] ?? [:]
            #expect(documents["documents/\(documentID)-referral.pdf"] == MultipartForm.pdf.map { String(format: "%02x", $0) }.joined())

            let record = copy["record"] as? [String: Any] ?? [:]
            #expect((record["patient"] as? [[String: Any]])?.first?["last_name"] as? String == "Lovelace")
            #expect((record["allergies"] as? [[String: Any]])?.first?["substance"] as? String == "Penicillin")
            #expect((record["problems"] as? [[String: Any]])?.first?["icd10_code"] as? String == "J45.9")
            #expect((record["visits"] as? [[String: Any]])?.first?["number"] as? String == visit["number"] as? String)
            #expect((record["visit_diagnoses"] as? [[String: Any]])?.first?["description"] as? String == "Asthma attack")
            #expect((record["prescription_items"] as? [[String: Any]])?.first?["medicine"] as? String == "Salbutamol inhaler")
            #expect((record["documents"] as? [[String: Any]])?.count == 1, "the withdrawn scan is not the patient's")
            #expect(record["clinic"] as? String == "Tenant clinic" && record["exported_at"] is String)

            let summary = copy["summary"] as? String ?? ""
            #expect(summary.contains("<h1>Record of Ada Lovelace <small>P-000001</small></h1>"))
            #expect(summary.contains("<td>Penicillin</td><td>severe</td><td>Anaphylaxis</td>") && summary.contains("Wheeze &lt;since&gt; Monday"))
            #expect(
                summary.contains(
                    "Documents withdrawn as filed in error (in another patient&#39;s record, or a wrong file) are left out of this copy: 1."
                )
            )

            // Who may: clinicians and admins of every branch; the desk and a one-branch clinician may not.
            #expect(try await session.signIn(as: .staff).get("patients/\(patient)/export").status == .forbidden)
            let north = try await session.signIn("north-doc@example.com").get("patients/\(patient)/export")
            #expect(north.status == .forbidden && north.json["title"] as? String == "Only a whole copy")
            #expect(try await doctor.get("patients/9999/export").status == .notFound)
            let audit = try await session.signIn(as: .admin).get("audit?action=patients.exported").json["entries"] as? [[String: Any]] ?? []
            #expect(audit.count == 1 && audit.first?["user_email"] as? String == "clinician@example.com")

            // The chart's button, for those who may.
            var browser = WebBrowser(session.client)
            try await browser.signIn(tenant: "clinic", email: "clinician@example.com", password: TestUsers.password)
            let chart = try await browser.get("/t/clinic/patients/\(patient)").cells
            #expect(chart.contains(#"<a class="button" href="/t/clinic/patients/\#(patient)/export" download>Copy of the record (ZIP)</a>"#))
            let fromPage = try await browser.get("/t/clinic/patients/\(patient)/export")
            #expect(fromPage.status == .ok && fromPage.headers[.contentType] == "application/zip")
            var desk = WebBrowser(session.client)
            try await desk.signIn(tenant: "clinic", email: "staff@example.com", password: TestUsers.password)
            #expect(!(try await desk.get("/t/clinic/patients/\(patient)").cells.contains("Copy of the record")))
        }
    }
}
