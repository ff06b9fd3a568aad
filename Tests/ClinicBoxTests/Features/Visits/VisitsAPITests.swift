import Foundation
import GRDB
import HummingbirdTesting
import Testing

@testable import ClinicBox
@testable import ClinicBoxCore
@testable import Patients
@testable import Visits

/// Visits through the API: started from an appointment, vitals in range, signed once, corrected by addenda.
@Suite struct VisitsAPITests {
    /// A clinic with visits: doc and nurse (clinicians), desk (staff), boss (manager).
    static func server(_ workspace: TestWorkspace) async throws -> ClinicBoxServer {
        try workspace.write(
            "clinic",
            TestTenant.yaml(
                "clinic",
                features: ["patients", "appointments", "visits", "prescriptions"],
                extra: "branches:\n  - code: main\n    name: Main"
            )
        )
        let server = try await workspace.server()
        try await server.addUser("doc@example.com", name: "Dr Amina Njoroge", role: .clinician, password: TestUsers.password, to: ["clinic"])
        try await server.addUser("nurse@example.com", name: "Nurse Joy", role: .clinician, password: TestUsers.password, to: ["clinic"])
        try await server.addUser("desk@example.com", role: .staff, password: TestUsers.password, to: ["clinic"])
        try await server.addUser("boss@example.com", role: .manager, password: TestUsers.password, to: ["clinic"])
        return server
    }

    /// A patient booked with doc today at 00:10 (the API books a time that has passed as given) and checked in:
    /// (patient id, appointment id).
    static func checkedIn(_ desk: APIClient, doctor: Int) async throws -> (patient: Int, appointment: Int) {
        let patient = try #require(try await desk.create("patients", TestRecords.ada)["id"] as? Int)
        let day = CalendarDate.today(in: TimeZone(identifier: "Europe/Berlin")!)
        let booked = try await desk.create(
            "appointments",
            ["patient_id": patient, "practitioner_id": doctor, "branch": "main", "start": "\(day)T00:10", "duration_minutes": 20]
        )
        let appointment = try #require(booked["id"] as? Int)
        #expect(try await desk.patch("appointments/\(appointment)", ["version": 1, "status": "checked_in"]).status == .ok)
        return (patient, appointment)
    }

    static func userID(_ server: ClinicBoxServer, _ email: String) async throws -> Int {
        let database = try await server.databases.database(for: TenantID("clinic")!, creating: true)
        return try await database.read { db in try Int.fetchOne(db, sql: "SELECT id FROM users WHERE email = ?", arguments: [email]) ?? 0 }
    }

    @Test func aVisitFromACheckedInAppointmentIsSignedOnceAndCorrectedByAddenda() async throws {
        let scenario = try await ClinicScenario(tenant: "clinic") { try await Self.server($0) }
        let server = scenario.server
        try await scenario.run { session in
            let doc = try await session.signIn("doc@example.com")
            let desk = try await session.signIn("desk@example.com")
            let (patient, appointment) = try await Self.checkedIn(desk, doctor: try await Self.userID(server, "doc@example.com"))

            let feverish = try await doc.post("visits", ["appointment_id": appointment, "temperature": 57, "pulse": 300])
            #expect(feverish.fieldErrors == ["temperature": "57 °C is outside 25–45 °C", "pulse": "300 /min is outside 20–250 /min"])
            let visit = try await doc.create(
                "visits",
                [
                    "appointment_id": appointment, "temperature": 38.4, "systolic": 128, "diastolic": 82, "weight": 70, "height": 175,
                    "subjective": "Cough for five days, fever since yesterday.", "assessment": "Community-acquired pneumonia, mild.",
                    "diagnoses": [["description": "Pneumonia, unspecified", "icd10_code": "j189"]],
                ]
            )
            #expect(visit["number"] as? String == "V-000001" && visit["status"] as? String == "open")
            #expect(visit["patient_id"] as? Int == patient && visit["branch"] as? String == "main" && visit["appointment_id"] as? Int == appointment)
            #expect(visit["bmi"] as? Double == 22.9)
            #expect((visit["diagnoses"] as? [[String: Any]])?.first?["icd10_code"] as? String == "J18.9")
            let id = try #require(visit["id"] as? Int)
            #expect(try await doc.post("visits", ["appointment_id": appointment]).status == .conflict, "one visit per appointment")

            let edited = try await doc.patch(
                "visits/\(id)",
                ["version": 1, "plan": "Amoxicillin 500 mg three times a day for 5 days; review in 48 h."]
            )
            #expect(edited.json["version"] as? Int == 2 && edited.json["subjective"] as? String == "Cough for five days, fever since yesterday.")
            #expect(
                try await doc.patch("visits/\(id)", ["version": 2, "diastolic": 130]).fieldErrors == [
                    "diastolic": "must be below the systolic pressure (128 mmHg)"
                ]
            )

            let nurse = try await session.signIn("nurse@example.com")
            #expect(try await nurse.post("visits/\(id)/sign", [:]).status == .forbidden, "only the visit's practitioner signs it")
            let signed = try await doc.post("visits/\(id)/sign", ["version": 2])
            #expect(
                signed.status == .ok && signed.json["status"] as? String == "signed" && signed.json["signed_by_name"] as? String == "Dr Amina Njoroge"
            )

            let late = try await doc.patch("visits/\(id)", ["version": 3, "plan": "changed my mind"])
            #expect(late.status == .conflict)
            #expect(
                late.json["detail"] as? String == "Visit V-000001 was signed by Dr Amina Njoroge and can no longer change. Add an addendum instead."
            )
            let corrected = try await nurse.create(
                "visits/\(id)/addenda",
                ["text": "Chest X-ray: right lower lobe consolidation, confirms the assessment."]
            )
            let addenda = corrected["addenda"] as? [[String: Any]] ?? []
            #expect(addenda.map { $0["author"] as? String } == ["Nurse Joy"])
            #expect(corrected["plan"] as? String == "Amoxicillin 500 mg three times a day for 5 days; review in 48 h.")

            // Front desk staff see appointments, not notes.
            #expect(try await desk.get("visits/\(id)").status == .forbidden)
            #expect(try await desk.get("visits?patient_id=\(patient)").status == .forbidden)
            let boss = try await session.signIn("boss@example.com")
            #expect(try await boss.get("visits?patient_id=\(patient)").items.count == 1)
            #expect(
                try await boss.post("visits/\(id)/addenda", ["text": "x"]).status == .forbidden,
                "managers read clinical content, they do not write it"
            )
        }
        // The database itself refuses to rewrite a signed visit, its diagnoses or an addendum.
        let database = try await server.databases.database(for: TenantID("clinic")!, creating: true)
        for sql in [
            "UPDATE visits SET plan = 'rewritten' WHERE id = 1", "DELETE FROM visits WHERE id = 1", "DELETE FROM visit_diagnoses WHERE visit_id = 1",
            "INSERT INTO visit_diagnoses (visit_id, description) VALUES (1, 'added later')", "UPDATE visit_addenda SET text = 'rewritten'",
            "DELETE FROM visit_addenda",
        ] {
            await #expect(throws: DatabaseError.self, "\(sql)") { try await database.write { db in try db.execute(sql: sql) } }
        }
        let views = try await database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_log WHERE action = 'visits.sign'") }
        #expect(views == 1)
    }

    @Test func aVisitNeedsACheckedInAppointmentOrAPatientAndABranch() async throws {
        let scenario = try await ClinicScenario(tenant: "clinic") { try await Self.server($0) }
        let server = scenario.server
        try await scenario.run { session in
            let doc = try await session.signIn("doc@example.com")
            let desk = try await session.signIn("desk@example.com")
            let patient = try #require(try await desk.create("patients", TestRecords.ada)["id"] as? Int)
            let day = CalendarDate.today(in: TimeZone(identifier: "Europe/Berlin")!).adding(days: 2)
            let booked = try await desk.create(
                "appointments",
                [
                    "patient_id": patient, "practitioner_id": try await Self.userID(server, "doc@example.com"), "branch": "main",
                    "start": "\(day)T10:00",
                ]
            )
            #expect(
                try await doc.post("visits", ["appointment_id": booked["id"]!]).fieldErrors == [
                    "appointment_id": "must be checked in first; it is scheduled"
                ]
            )
            #expect(try await doc.post("visits", ["patient_id": patient]).fieldErrors == ["branch": "is required"])
            #expect(
                try await doc.post("visits", ["branch": "main"]).fieldErrors["patient_id"]
                    == "is required (or start from an appointment with appointment_id)"
            )
            #expect(
                try await doc.post("visits", ["patient_id": patient, "branch": "main", "spo2": "98"]).fieldErrors == [
                    "spo2": "must be a number (%), not a string"
                ]
            )
            let walkIn = try await doc.create("visits", ["patient_id": patient, "branch": "main", "spo2": 97, "diagnoses": []])
            #expect(walkIn["appointment_id"] is NSNull && (walkIn["diagnoses"] as? [Any])?.isEmpty == true)
            #expect(
                try await doc.post("visits/\(walkIn["id"]!)/addenda", ["text": "too early"]).status == .conflict,
                "an open visit is edited, not amended"
            )
            // Signing needs no body: none at all, or an empty one sent as JSON, as curl -X POST -H 'Content-Type: …' does.
            let empty = try await session.client.execute(
                uri: "/t/clinic/api/v1/visits/\(walkIn["id"]!)/sign",
                method: .post,
                headers: TestUsers.bearerJSON(doc.token)
            )
            #expect(empty.status == .ok && empty.json["status"] as? String == "signed", "\(empty.text)")
        }
    }
}

extension VisitsAPITests {
    /// One timeline from every module the tenant has, newest first; the front desk's leaves out clinical entries.
    @Test func theChartTimelineGathersEveryModuleAndLeavesOutWhatTheRoleMayNotSee() async throws {
        let scenario = try await ClinicScenario(tenant: "clinic") { try await Self.server($0) }
        let server = scenario.server
        try await scenario.run { session in
            let doc = try await session.signIn("doc@example.com")
            let desk = try await session.signIn("desk@example.com")
            let (patient, appointment) = try await Self.checkedIn(desk, doctor: try await Self.userID(server, "doc@example.com"))
            _ = try await doc.create(
                "visits",
                ["appointment_id": appointment, "diagnoses": [["description": "Acute bronchitis", "icd10_code": "J20.9"]]]
            )
            _ = try await doc.create(
                "prescriptions",
                ["patient_id": patient, "items": [["medicine": "Salbutamol inhaler", "dose": "2 puffs as needed", "quantity": 1]]]
            )

            let chart = try await doc.get("patients/\(patient)/chart").json
            let timeline = chart["timeline"] as? [[String: Any]] ?? []
            #expect(timeline.map { $0["kind"] as? String } == ["prescription", "visit", "appointment"])
            #expect(timeline.map { $0["title"] as? String }.dropLast() == ["Prescription RX-000001", "Visit V-000001"])
            #expect(timeline[1]["detail"] as? String == "Dr Amina Njoroge · Acute bronchitis · open")
            #expect((chart["allergies"] as? [String: Any])?["state"] as? String == "not_recorded" && chart["problems"] != nil)
            #expect(chart["timeline_has_more"] as? Bool == false)
            let newest = try await doc.get("patients/\(patient)/chart?limit=2").json
            #expect(
                (newest["timeline"] as? [[String: Any]])?.map { $0["kind"] as? String } == ["prescription", "visit"]
                    && newest["timeline_has_more"] as? Bool == true
            )

            let front = try await desk.get("patients/\(patient)/chart").json
            #expect((front["timeline"] as? [[String: Any]])?.map { $0["kind"] as? String } == ["appointment"])
            #expect(front["problems"] == nil)

            var browser = WebBrowser(session.client)
            _ = try await browser.signIn(tenant: "clinic", email: "doc@example.com", password: TestUsers.password)
            let page = try await browser.get("/t/clinic/patients/\(patient)").text
            #expect(page.contains(#"<span class="badge">visit</span> <a href="/t/clinic/visits/1">Visit V-000001</a>"#))
            #expect(page.contains(#"<a class="button primary" href="/t/clinic/visits/new?patient=P-000001">Start visit</a>"#))
        }
    }
}

extension VisitsAPITests {
    /// A list of visits shows their notes: each patient on the page counts as a chart view (at most once in ten
    /// minutes), and a list that shows nobody records nothing.
    @Test func listingVisitsIsAChartViewOfEveryPatientListed() async throws {
        let scenario = try await ClinicScenario(tenant: "clinic") { try await Self.server($0) }
        let server = scenario.server
        try await scenario.run { session in
            let doc = try await session.signIn("doc@example.com")
            let boss = try await session.signIn("boss@example.com")
            var patients: [Int] = []
            for name in ["Ada", "Grace", "Alan"] {
                let patient = try #require(try await doc.create("patients", ["first_name": name, "last_name": "Test"])["id"] as? Int)
                _ = try await doc.create("visits", ["patient_id": patient, "branch": "main", "subjective": "\(name)'s cough"])
                patients.append(patient)
            }
            #expect(try await boss.get("visits?status=signed").items.isEmpty)
            #expect(try await boss.get("visits?patient_id=\(patients[0])").items.count == 1)
            #expect(try await boss.get("visits?limit=2").items.count == 2)
            #expect(try await boss.get("visits").items.count == 3)
        }
        let database = try await server.databases.database(for: TenantID("clinic")!, creating: true)
        let views = try await database.read { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT entity_id, json_extract(changes, '$.what.after') AS what FROM audit_log WHERE action = 'patients.chart_viewed' AND user_email = 'boss@example.com' ORDER BY id"
            ).map { "\($0["entity_id"] as String): \($0["what"] as String)" }
        }
        // Ada's first; the newest two (Alan, Grace) on the page of two; Ada again only inside ten minutes: not recorded.
        #expect(views == ["1: visits (API)", "2: visits (API)", "3: visits (API)"])
    }
}
