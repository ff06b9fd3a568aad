import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import ClinicBox
@testable import ClinicBoxCore
@testable import Patients

/// Scans and photos on a patient's chart: typed by their bytes, kept in the tenant's own file, never changed,
/// and every download audited.
@Suite struct DocumentsAPITests {
    static func server(_ workspace: TestWorkspace, extra: String = "") async throws -> ClinicBoxServer {
        try await ClinicalRecordAPITests.server(workspace, features: ["patients", "appointments", "visits"], extra: extra)
    }

    static func pngAsPDF(title: String? = "Referral letter", clinical: String? = nil) -> MultipartForm {
        var form = MultipartForm()
        if let title { form.add("title", title) }
        if let clinical { form.add("clinical", clinical) }
        form.addFile(fileName: "scan.pdf", type: "application/pdf", bytes: MultipartForm.png)
        return form
    }

    @Test func aFileIsTypedByItsBytesAndAnythingElseIsRefusedWithAClearMessage() async throws {
        let workspace = try TestWorkspace()
        let server = try await Self.server(workspace, extra: "limits:\n  max_document_mb: 1\n")
        try await server.application.test(.router) { client in
            let doc = try await APIClient.signIn(client, tenant: "clinic", email: "doc@example.com")
            let patient = try #require(try await doc.create("patients", TestRecords.ada)["id"] as? Int)

            let filed = try await doc.upload("patients/\(patient)/documents", Self.pngAsPDF())
            #expect(filed.status == .created, "\(filed.text)")
            #expect(filed.json["media_type"] as? String == "image/png", "named .pdf, sent as application/pdf, but its bytes are a PNG")
            #expect(filed.json["title"] as? String == "Referral letter" && filed.json["clinical"] as? Bool == true)
            #expect(filed.json["byte_count"] as? Int == MultipartForm.png.count && filed.json["uploaded_by"] as? String == "Dr Amina Njoroge")

            var program = MultipartForm([("title", "Results")])
            program.addFile(fileName: "results.pdf", type: "application/pdf", bytes: MultipartForm.program)
            let refused = try await doc.upload("patients/\(patient)/documents", program)
            #expect(refused.status == .unsupportedMediaType)
            #expect(
                refused.json["detail"] as? String
                    == "This file is a Linux program; a chart takes PDF, JPEG, PNG or WebP files, recognised by their contents whatever their name."
            )

            var large = MultipartForm([("title", "Big scan")])
            large.addFile(fileName: "big.pdf", bytes: MultipartForm.pdf + Array(repeating: 0x20, count: 1_100_000))
            let tooLarge = try await doc.upload("patients/\(patient)/documents", large)
            #expect(tooLarge.status == .contentTooLarge)
            #expect(tooLarge.json["detail"] as? String == "This clinic takes documents of up to 1 MB (limits.max_document_mb in its tenant file).")

            var empty = MultipartForm([("title", "Nothing")])
            empty.addFile(fileName: "empty.pdf", bytes: [])
            #expect(try await doc.upload("patients/\(patient)/documents", empty).fieldErrors == ["file": "is empty"])
            var unknown = Self.pngAsPDF()
            unknown.add("tittle", "typo")
            #expect(try await doc.upload("patients/\(patient)/documents", unknown).fieldErrors == ["tittle": "unknown field (did you mean 'title'?)"])
            let json = try await doc.post("patients/\(patient)/documents", ["title": "as JSON"])
            #expect(json.status == .unsupportedMediaType && (json.json["detail"] as? String)?.contains("multipart/form-data") == true)
            #expect(try await doc.upload("patients/999/documents", Self.pngAsPDF()).status == .notFound)

            // A retried upload (the answer was lost on the way) files nothing twice; the same key with another
            // file is refused.
            let first = try await doc.upload("patients/\(patient)/documents", Self.pngAsPDF(title: "Discharge letter"), idempotencyKey: "scan-42")
            let retried = try await doc.upload("patients/\(patient)/documents", Self.pngAsPDF(title: "Discharge letter"), idempotencyKey: "scan-42")
            #expect(first.status == .created && retried.status == .created && retried.json["id"] as? Int == first.json["id"] as? Int)
            #expect(retried.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            var other = MultipartForm([("title", "Discharge letter")])
            other.addFile(fileName: "scan.pdf", bytes: MultipartForm.pdf)
            #expect(try await doc.upload("patients/\(patient)/documents", other, idempotencyKey: "scan-42").status == .unprocessableContent)

            // Without a title the file's own name is the title.
            let untitled = try await doc.upload("patients/\(patient)/documents", Self.pngAsPDF(title: nil))
            #expect(untitled.json["title"] as? String == "scan")
            #expect(
                try await doc.get("patients/\(patient)/documents").items.map { $0["title"] as? String } == [
                    "scan", "Discharge letter", "Referral letter",
                ]
            )
        }
    }

    /// A body no browser writes is a 400 that says what is wrong, never a crash: multipart-kit 4.7.1, used before,
    /// trapped on a byte above 127 in a part's header name (the first body below), stopping the server for every tenant.
    @Test func aMalformedUploadIsRefusedWithWhatIsWrongAndTheServerAnswersOn() async throws {
        let scenario = try await ClinicScenario(tenant: "clinic") { try await Self.server($0) }
        try await scenario.run { session in
            let doc = try await session.signIn("doc@example.com")
            let patient = try #require(try await doc.create("patients", TestRecords.ada)["id"] as? Int)
            for (body, reason) in [
                ("--B\r\nÓ<\u{82}--B--\r\n", "a part's headers do not end"),
                ("--B\r\nNäme: x\r\n\r\nabc\r\n--B--\r\n", "a part has a header line that is not “Name: value”"),
                ("--B\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc", "it ends before its closing boundary"),
                ("no boundary here", "it holds no part; its boundary must match the Content-Type header's"),
                ("--Bx\r\n", "a boundary line does not end where it should"),
            ] {
                let refused = try await doc.upload("patients/\(patient)/documents", MultipartForm(raw: Array(body.utf8), boundary: "B"))
                #expect(refused.status == .badRequest, "\(body)")
                #expect(
                    refused.json["detail"] as? String == "The multipart/form-data body cannot be read: \(reason). Send it as a browser form would.",
                    "\(body)"
                )
            }
            // A browser writes a file's name in UTF-8; without a title, it is the title.
            let named = "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"Befund Müller.png\"\r\nContent-Type: image/png\r\n\r\n"
            let bytes = Array(named.utf8) + MultipartForm.png + Array("\r\n--B--\r\n".utf8)
            let filed = try await doc.upload("patients/\(patient)/documents", MultipartForm(raw: bytes, boundary: "B"))
            #expect(filed.status == .created, "\(filed.text)")
            #expect(filed.json["title"] as? String == "Befund Müller" && filed.json["file_name"] as? String == "Befund Müller.png")
        }
    }

    @Test func theFrontDeskFilesAndSeesNonClinicalDocumentsOnlyAndEveryDownloadIsAudited() async throws {
        let scenario = try await ClinicScenario(tenant: "clinic") { try await Self.server($0) }
        let server = scenario.server
        try await scenario.run { session in
            let doc = try await session.signIn("doc@example.com")
            let desk = try await session.signIn("desk@example.com")
            let patient = try #require(try await desk.create("patients", TestRecords.ada)["id"] as? Int)

            let clinical = try await doc.upload("patients/\(patient)/documents", Self.pngAsPDF(title: "Wound photo"))
            let clinicalID = try #require(clinical.json["id"] as? Int)
            let asClinical = try await desk.upload("patients/\(patient)/documents", Self.pngAsPDF(title: "Insurance card"))
            #expect(asClinical.status == .forbidden && (asClinical.json["detail"] as? String)?.contains("send clinical=false") == true)
            let card = try await desk.upload("patients/\(patient)/documents", Self.pngAsPDF(title: "Insurance card", clinical: "false"))
            #expect(card.status == .created && card.json["clinical"] as? Bool == false)
            let cardID = try #require(card.json["id"] as? Int)

            #expect(try await desk.get("patients/\(patient)/documents").items.map { $0["title"] as? String } == ["Insurance card"])
            #expect(try await doc.get("patients/\(patient)/documents").items.count == 2)
            #expect(try await desk.get("documents/\(clinicalID)").status == .forbidden)
            let timeline = try await desk.get("patients/\(patient)/chart").json["timeline"] as? [[String: Any]] ?? []
            #expect(timeline.filter { $0["kind"] as? String == "document" }.map { $0["title"] as? String } == ["Document “Insurance card”"])

            let download = try await doc.get("documents/\(clinicalID)")
            #expect(download.status == .ok && Array(buffer: download.body) == MultipartForm.png)
            #expect(download.headers[.contentType] == "image/png")
            #expect(download.headers[.contentDisposition] == "attachment; filename=\"Wound photo.png\"; filename*=UTF-8''Wound%20photo.png")
            #expect(download.headers[.xContentTypeOptions] == "nosniff" && download.headers[.cacheControl] == "private, no-store")
            #expect(download.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'none'") == true)
            _ = try await doc.get("documents/\(clinicalID)")
            #expect(try await desk.get("documents/\(cardID)").status == .ok)
            #expect(try await doc.get("documents/999").status == .notFound)
        }
        let database = try await server.databases.database(for: TenantID("clinic")!, creating: true)
        let downloads = try await database.read { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT user_email, json_extract(changes, '$.what.after') AS what FROM audit_log WHERE action = 'patients.chart_viewed' AND json_extract(changes, '$.document.after') IS NOT NULL ORDER BY id"
            )
            .map { "\($0["user_email"] as String): \($0["what"] as String)" }
        }
        #expect(
            downloads == [
                "doc@example.com: document “Wound photo” (API download)", "doc@example.com: document “Wound photo” (API download)",
                "desk@example.com: document “Insurance card” (API download)",
            ],
            "every download is recorded, not once in ten minutes"
        )
    }

    /// Another patient's scan filed to this chart is withdrawn with a reason: it leaves the list, the chart and its
    /// timeline, opening it answers 410 with who and why, and the document, its bytes and the withdrawal stay.
    @Test func aDocumentFiledInErrorIsWithdrawnWithAReasonAndKept() async throws {
        let scenario = try await ClinicScenario(tenant: "clinic") { try await Self.server($0) }
        let server = scenario.server
        try await scenario.run { session in
            let doc = try await session.signIn("doc@example.com")
            let desk = try await session.signIn("desk@example.com")
            let patient = try #require(try await doc.create("patients", TestRecords.ada)["id"] as? Int)
            let wrong = try #require(
                try await doc.upload("patients/\(patient)/documents", Self.pngAsPDF(title: "Lab results (Grace Hopper)")).json["id"] as? Int
            )
            let card = try #require(
                try await desk.upload("patients/\(patient)/documents", Self.pngAsPDF(title: "Insurance card", clinical: "false")).json["id"] as? Int
            )

            #expect(try await doc.post("documents/\(wrong)/withdraw", [:]).fieldErrors == ["reason": "is required"])
            #expect(try await doc.post("documents/\(wrong)/withdraw", ["reason": "   "]).fieldErrors == ["reason": "must not be empty"])
            #expect(
                try await desk.post("documents/\(wrong)/withdraw", ["reason": "wrong patient"]).status == .notFound,
                "the desk cannot see a clinical document"
            )
            let withdrawn = try await doc.post("documents/\(wrong)/withdraw", ["reason": "Grace Hopper's results, filed to the wrong patient"])
            #expect(withdrawn.status == .ok, "\(withdrawn.text)")
            #expect(withdrawn.json["withdrawn_reason"] as? String == "Grace Hopper's results, filed to the wrong patient")
            #expect(withdrawn.json["withdrawn_by"] as? String == "Dr Amina Njoroge" && withdrawn.json["withdrawn_at"] is String)
            let again = try await doc.post("documents/\(wrong)/withdraw", ["reason": "again"])
            #expect(again.status == .conflict && (again.json["detail"] as? String)?.contains("was withdrawn by Dr Amina Njoroge") == true)

            #expect(try await doc.get("patients/\(patient)/documents").items.map { $0["title"] as? String } == ["Insurance card"])
            let timeline = try await doc.get("patients/\(patient)/chart").json["timeline"] as? [[String: Any]] ?? []
            #expect(timeline.filter { $0["kind"] as? String == "document" }.map { $0["title"] as? String } == ["Document “Insurance card”"])
            let gone = try await doc.get("documents/\(wrong)")
            #expect(gone.status == .gone)
            #expect(
                (gone.json["detail"] as? String)?.hasPrefix("“Lab results (Grace Hopper)” was withdrawn as filed in error by Dr Amina Njoroge, ")
                    == true
            )
            #expect(
                (gone.json["detail"] as? String)?.hasSuffix(
                    ": Grace Hopper's results, filed to the wrong patient. It is kept in the record but no longer shown."
                ) == true
            )

            // The front desk withdraws its own kind of document.
            #expect(try await desk.post("documents/\(card)/withdraw", ["reason": "Expired card"]).status == .ok)
            #expect(try await desk.get("patients/\(patient)/documents").items.isEmpty)
        }
        let database = try await server.databases.database(for: TenantID("clinic")!, creating: true)
        #expect(
            try await database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM patient_document_contents") } == 2,
            "the bytes are kept"
        )
        let audited = try await database.read { db in
            try String.fetchAll(
                db,
                sql: "SELECT json_extract(changes, '$.reason.after') FROM audit_log WHERE action = 'patients.document_withdrawn' ORDER BY id"
            )
        }
        #expect(audited == ["Grace Hopper's results, filed to the wrong patient", "Expired card"])
        for statement in ["UPDATE patient_document_withdrawals SET reason = 'changed'", "DELETE FROM patient_document_withdrawals"] {
            await #expect(throws: DatabaseError.self, "\(statement)") { try await database.write { db in try db.execute(sql: statement) } }
        }
    }

    @Test func aFiledDocumentIsNeverChangedOrRemovedEvenBySQL() async throws {
        let scenario = try await ClinicScenario(tenant: "clinic") { try await Self.server($0) }
        let server = scenario.server
        try await scenario.run { session in
            let doc = try await session.signIn("doc@example.com")
            let patient = try #require(try await doc.create("patients", TestRecords.ada)["id"] as? Int)
            let other = try #require(try await doc.create("patients", ["first_name": "Grace", "last_name": "Hopper"])["id"] as? Int)
            let visit = try await doc.create("visits", ["patient_id": other, "branch": "main"])
            var form = Self.pngAsPDF()
            form.add("visit_id", String(visit["id"] as? Int ?? 0))
            #expect(
                try await doc.upload("patients/\(patient)/documents", form).fieldErrors == [
                    "visit_id": "is not one of this patient's visits that you can see"
                ]
            )
            var own = Self.pngAsPDF()
            own.add("visit_id", String(visit["id"] as? Int ?? 0))
            #expect(try await doc.upload("patients/\(other)/documents", own).json["visit_id"] as? Int == visit["id"] as? Int)
        }
        let database = try await server.databases.database(for: TenantID("clinic")!, creating: true)
        for statement in [
            "UPDATE patient_documents SET title = 'changed'", "DELETE FROM patient_documents",
            "UPDATE patient_document_contents SET bytes = x'00'", "DELETE FROM patient_document_contents",
        ] {
            await #expect(throws: DatabaseError.self, "\(statement)") { try await database.write { db in try db.execute(sql: statement) } }
        }
        #expect(try await database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM patient_document_contents") } == 1)
    }
}
