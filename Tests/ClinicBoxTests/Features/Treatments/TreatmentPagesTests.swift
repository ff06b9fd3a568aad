import ClinicBox
import ClinicBoxCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// A dentist working a patient's treatment plan in the browser.
@Suite struct TreatmentPagesTests {
    @Test func aDentistPlansDoesAndRemovesTreatments() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("dent", domain: "dental", features: ["patients", "treatments"])
        let server = try await workspace.server()
        try await server.addUser("dentist@example.com", role: .clinician, password: TestUsers.password, to: ["dent"])
        try await server.application.test(.router) { client in
            var dentist = WebBrowser(client)
            try await dentist.signIn(tenant: "dent", email: "dentist@example.com", password: TestUsers.password)
            try await dentist.get("/t/dent/patients/new")
            try await dentist.post("/t/dent/patients", ["first_name": "Ada", "last_name": "Lovelace"])
            #expect(
                try await dentist.get("/t/dent/treatments?patient=P-999").text.contains(
                    "no patient matches “P-999”; check the spelling, or register the patient first."
                )
            )

            let plan = try await dentist.get("/t/dent/treatments?patient=p-000001")
            #expect(plan.text.contains("Ada Lovelace") && plan.text.contains("No treatments on the plan yet."))
            let bad = try await dentist.post("/t/dent/treatments", ["patient": "P-000001", "tooth": "19", "procedure": "", "fee": "abc"])
            #expect(bad.status == .unprocessableContent)
            #expect(
                bad.text.contains(#"id="tooth-error""#) && bad.text.contains(#"id="procedure-error""#)
                    && bad.text.contains("write an amount like 45.00")
            )
            #expect(bad.text.contains(#"value="19""#))

            #expect(
                try await dentist.post("/t/dent/treatments", ["patient": "P-000001", "tooth": "36", "procedure": "Crown", "fee": "120"]).status
                    == .seeOther
            )
            #expect(
                try await dentist.post("/t/dent/treatments", ["patient": "P-000001", "tooth": "11", "procedure": "Filling", "fee": "45.50"]).status
                    == .seeOther
            )
            let both = try await dentist.get("/t/dent/treatments?patient=P-000001&saved=1")
            #expect(both.text.contains("Planned EUR 165.50 · done EUR 0.00 · <strong>total EUR 165.50</strong>"))

            // The filling's fee is corrected; a stale form overwrites nothing.
            let filling = try #require(
                both.text.range(of: #"/t/dent/treatments/\d+/edit"#, options: .regularExpression).map { String(both.text[$0]) }
            )
            let editPage = try await dentist.get(filling)
            #expect(editPage.text.contains(#"value="45.50""#) && editPage.text.contains(#"value="11""#))
            let fillingPath = String(filling.dropLast(5))
            #expect(try await dentist.post(fillingPath, ["version": "1", "tooth": "11", "procedure": "Filling", "fee": "50"]).status == .seeOther)
            #expect(try await dentist.post(fillingPath, ["version": "1", "tooth": "11", "procedure": "Filling", "fee": "60"]).status == .conflict)
            #expect(try await dentist.get("/t/dent/treatments?patient=P-000001").text.contains("Planned EUR 170.00"))

            // Mark the crown done: it stays on the record with no buttons; the filling is removed after confirming.
            let crown = try #require(
                both.text.range(
                    of: #"/t/dent/treatments/\d+/done"#,
                    options: .regularExpression,
                    range: both.text.range(of: ">Crown</td>")!.lowerBound..<both.text.endIndex
                ).map { String(both.text[$0]) }
            )
            let question = try await dentist.get(crown)
            #expect(question.text.contains("Mark Crown on tooth") && question.text.contains("Done work is fixed"))
            #expect(try await dentist.get("/t/dent/treatments?patient=P-000001").text.contains("Planned EUR 170.00"), "asking changed nothing")
            #expect(try await dentist.post(crown, ["version": "1"]).status == .seeOther)
            let afterDone = try await dentist.get("/t/dent/treatments?patient=P-000001")
            #expect(afterDone.text.contains("Planned EUR 50.00 · done EUR 120.00"))
            let removeLink = try #require(
                afterDone.text.range(of: #"/t/dent/treatments/\d+/remove"#, options: .regularExpression).map { String(afterDone.text[$0]) }
            )
            #expect(try await dentist.get(removeLink).text.contains("Remove Filling on tooth 11 from the plan?"))
            try await dentist.post(removeLink, [:])
            let final = try await dentist.get("/t/dent/treatments?patient=P-000001")
            #expect(!final.text.contains("Filling") && final.text.contains("Planned EUR 0.00 · done EUR 120.00") && !final.text.contains("/remove"))
        }
    }
}
