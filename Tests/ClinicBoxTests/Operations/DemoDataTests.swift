import Foundation
import GRDB
import HummingbirdTesting
import Testing

@testable import ClinicBox
@testable import ClinicBoxCore
@testable import Patients

/// `clinicbox demo` on copies of the three example tenants: each gets staff for every role, who can sign in with the
/// printed password and find a coherent day through the API; a tenant with patients is refused unless forced.
@Suite struct DemoDataTests {
    static let password = "amber quartz willow lagoon 42"

    func examples() throws -> TestWorkspace {
        let workspace = try TestWorkspace()
        for name in ["smile-dental", "greenleaf-pharmacy", "riverside-health"] {
            let text = try String(contentsOfFile: "\(ClinicBoxBinary.packageRoot)/tenants.d/\(name).yaml", encoding: .utf8)
            try workspace.write(name, text)
        }
        return workspace
    }

    /// 11:40 in Nairobi today (9:40 or, in summer, 10:40 in Berlin, the same day): the first patients have been seen
    /// and one is in the consulting room at each clinic.
    static var lateMorning: Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Africa/Nairobi")!
        return calendar.date(bySettingHour: 11, minute: 40, second: 0, of: Date())!
    }

    @Test func aDemoDayInEachExampleTenantSignsInAndListsItsRecords() async throws {
        let workspace = try examples()
        let filled = try await DemoData.fill(
            nil,
            force: false,
            password: Self.password,
            configuration: workspace.configuration(),
            now: Self.lateMorning
        )
        #expect(filled.map(\.tenant.rawValue) == ["greenleaf-pharmacy", "riverside-health", "smile-dental"])
        let smile = try #require(filled.last)
        #expect(Set(smile.accounts.map(\.role)) == Set(Role.allCases))
        #expect(smile.accounts.contains { $0.email == "dentist@smile-dental.demo" && $0.name.hasPrefix("Dr ") })

        let server = try await workspace.server()
        try await server.application.test(.router) { client in
            // The desk of the dental clinic: patients of three origins, today's appointments at both branches.
            let desk = try await APIClient.signIn(client, tenant: "smile-dental", email: "reception@smile-dental.demo", password: Self.password)
            let patients = try await desk.get("patients?limit=50")
            let names = (patients.json["items"] as? [[String: Any]] ?? []).compactMap { $0["last_name"] as? String }
            #expect(names.count >= 24 && ["Kamau", "Bennett", "Sharma"].allSatisfy(names.contains))
            let today = CalendarDate.today(in: TimeZone(identifier: "Africa/Nairobi")!)
            let day = try await desk.get("appointments?date=\(today)&limit=100")
            let appointments = day.json["items"] as? [[String: Any]] ?? []
            #expect(appointments.count >= 10)
            #expect(Set(appointments.compactMap { $0["branch"] as? String }) == ["ngong-road", "westlands"])

            let dentist = try await APIClient.signIn(client, tenant: "smile-dental", email: "dentist@smile-dental.demo", password: Self.password)
            let plan = try await dentist.get("treatments?limit=50")
            let statuses = (plan.json["items"] as? [[String: Any]] ?? []).compactMap { $0["status"] as? String }
            #expect(statuses.contains("done") && statuses.contains("planned"))

            // The morning's visits are signed, the ones under way open; the front desk sees none of them.
            let doctor = try await APIClient.signIn(
                client,
                tenant: "riverside-health",
                email: "doctor@riverside-health.demo",
                password: Self.password
            )
            let visits = try await doctor.get("visits?limit=100").items
            #expect(Set(visits.compactMap { $0["status"] as? String }) == ["signed", "open"], "\(visits.count) visits")
            #expect(visits.contains { ($0["diagnoses"] as? [[String: Any]])?.first?["icd10_code"] as? String == "I10" })
            // The first patients have a history: a problem, four signed visits months apart (a trend), a scanned letter.
            let chart = try await doctor.get("patients/1/chart").json
            let timeline = (chart["timeline"] as? [[String: Any]]) ?? []
            #expect(
                timeline.filter { ($0["detail"] as? String)?.hasSuffix("signed · entered later") == true }.count == 4,
                "\(timeline.map { $0["detail"] ?? "" })"
            )
            #expect(timeline.contains { $0["title"] as? String == "Document “Referral letter from the district hospital”" })
            #expect(((chart["problems"] as? [String: Any])?["items"] as? [Any])?.isEmpty == false)
            let reception = try await APIClient.signIn(
                client,
                tenant: "riverside-health",
                email: "reception@riverside-health.demo",
                password: Self.password
            )
            #expect(try await reception.get("visits").status == .forbidden)

            // The pharmacy: low and expiring stock, prescriptions pending and dispensed, sales.
            let manager = try await APIClient.signIn(
                client,
                tenant: "greenleaf-pharmacy",
                email: "manager@greenleaf-pharmacy.demo",
                password: Self.password
            )
            let low = try await manager.get("inventory/low-stock")
            #expect((low.json["items"] as? [Any])?.isEmpty == false, "\(low.text)")
            let expiring = try await manager.get("inventory/expiring?days=30")
            #expect((expiring.json["items"] as? [Any])?.isEmpty == false, "\(expiring.text)")
            let prescriptions = try await manager.get("prescriptions?limit=50")
            let rx = (prescriptions.json["items"] as? [[String: Any]] ?? []).compactMap { $0["status"] as? String }
            #expect(rx.contains("pending") && rx.contains("dispensed"), "\(rx)")
            let sales = try await manager.get("sales?limit=50")
            #expect((sales.json["items"] as? [Any])?.count == 5)
        }
        // Written by the demo staff through the API, with audit rows; the demo's own tokens are revoked.
        let database = try await server.databases.database(for: TenantID("smile-dental")!)
        let (created, liveTokens) = try await database.read { db in
            (
                try Int.fetchOne(
                    db,
                    sql: "SELECT count(*) FROM audit_log WHERE action = 'patients.create' AND user_email = 'reception@smile-dental.demo'"
                ) ?? 0,
                try Int.fetchOne(
                    db,
                    sql:
                        "SELECT count(*) FROM access_tokens WHERE revoked_at IS NULL AND user_id IN (SELECT id FROM users WHERE email LIKE '%.demo') AND id <= 5"
                ) ?? 0
            )
        }
        #expect(created >= 24 && liveTokens == 0)
    }

    @Test func aTenantWithPatientsIsRefusedUnlessForced() async throws {
        let workspace = try examples()
        _ = try await DemoData.fill([TenantID("riverside-health")!], force: false, password: Self.password, configuration: workspace.configuration())
        let count = { @Sendable () async throws -> Int in
            let database = try await workspace.server().databases.database(for: TenantID("riverside-health")!)
            return try await database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM patients") ?? 0 }
        }
        let before = try await count()
        let error = await #expect(throws: DemoData.Refused.self) {
            try await DemoData.fill(nil, force: false, password: Self.password, configuration: workspace.configuration())
        }
        #expect(
            error?.description.hasPrefix(
                "riverside-health already has \(before) patients; demo data is never mixed with real records, so nothing was written."
            ) == true
        )
        #expect(try await count() == before)
        #expect(!FileManager.default.fileExists(atPath: workspace.data + "/smile-dental.sqlite"), "a refusal writes nothing, to any tenant")
        _ = try await DemoData.fill([TenantID("riverside-health")!], force: true, password: Self.password, configuration: workspace.configuration())
        #expect(try await count() == before * 2)
    }
}
