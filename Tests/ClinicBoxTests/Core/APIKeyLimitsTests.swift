import ClinicBoxCore
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

/// An API key does only what its admin ticked, only from the addresses and until the day they gave.
@Suite struct APIKeyLimitsTests {
    /// A key made by the scenario's admin with `fields` (`name` added), and the caller that sends it.
    static func key(_ session: ClinicScenario.Session, _ fields: [String: Any]) async throws -> (answer: [String: Any], caller: APIClient) {
        let admin = try await session.signIn(as: .admin)
        let answer = try await admin.create("auth/api-keys", fields.merging(["name": "kiosk"]) { a, _ in a })
        let token = try #require(answer["token"] as? String)
        return (answer, APIClient(client: session.client, tenant: session.tenant, token: token))
    }

    @Test func aBookingKioskKeyReadsAppointmentsAndNothingClinical() async throws {
        let clinic = try await ClinicScenario(features: ["patients", "appointments", "visits"])
        try await clinic.run { session in
            let doctor = try await session.signIn(as: .clinician)
            let patient = try await session.patient(as: doctor)
            _ = try await doctor.create("patients/\(patient)/problems", ["description": "Asthma"])

            let (answer, kiosk) = try await Self.key(session, ["actions": ["appointments.read"]])
            #expect(answer["actions"] as? [String] == ["appointments.read"])
            #expect(try await kiosk.get("appointments").status == .ok)
            let visits = try await kiosk.get("visits")
            #expect(visits.status == .forbidden && visits.json["title"] as? String == "Not allowed for this API key")
            #expect(
                visits.json["detail"] as? String
                    == "This API key may not read visit notes and problems (the action clinical.read is not among its actions: appointments.read). An admin can make a key that may."
            )
            #expect(try await kiosk.get("patients/\(patient)/chart").status == .forbidden)
            #expect(try await kiosk.post("appointments", ["patient_id": patient]).status == .forbidden)

            // A key that may read patients sees the chart's header, not its problems: the scope reaches the panels.
            let (_, reader) = try await Self.key(session, ["actions": ["patients.read"]])
            let chart = try await reader.get("patients/\(patient)/chart")
            #expect(chart.status == .ok && chart.json["problems"] == nil)
            let full = try await session.signIn(as: .admin).get("patients/\(patient)/chart")
            #expect(full.json["problems"] != nil, "the admin's own token is not limited")

            // An old-style key (no actions sent) keeps every right of its maker.
            let (unlimited, everything) = try await Self.key(session, [:])
            #expect(unlimited["actions"] == nil || unlimited["actions"] is NSNull)
            #expect(try await everything.get("patients/\(patient)/chart").json["problems"] != nil)
        }
    }

    @Test func limitsAreCheckedBeforeAnythingIsMade() async throws {
        let clinic = try await ClinicScenario(features: ["patients", "appointments"])
        try await clinic.run { session in
            let admin = try await session.signIn(as: .admin)
            let bad = try await admin.post(
                "auth/api-keys",
                ["name": "kiosk", "actions": ["appointments.raed"], "allowed_addresses": ["192.168.1.0/33"], "valid_until": "2020-01-01"]
            )
            #expect(bad.status == .unprocessableContent)
            #expect(bad.fieldErrors["actions"]?.contains("appointments.raed") == true)
            #expect(bad.fieldErrors["allowed_addresses"] == "“192.168.1.0/33” is not an address or range; write e.g. 192.168.1.0/24 or 10.0.0.7")
            #expect(bad.fieldErrors["valid_until"] == "this date has passed; choose today or a later day")
            #expect(try await admin.post("auth/api-keys", ["name": "kiosk", "actions": []]).fieldErrors["actions"] != nil)
            let keys = try await admin.get("auth/tokens").text
            #expect(!keys.contains("api_key"), "nothing was made")
        }
    }

    @Test func aKeyWorksOnlyFromItsAddressesAndTillItsLastDay() async throws {
        let clinic = try await ClinicScenario(features: ["patients", "appointments"])
        try await clinic.run(.live) { session in
            let (away, elsewhere) = try await Self.key(session, ["actions": ["appointments.read"], "allowed_addresses": ["10.0.0.0/8", "fd00::/8"]])
            #expect(away["allowed_addresses"] as? [String] == ["10.0.0.0/8", "fd00::/8"])
            let refused = try await elsewhere.get("appointments")
            #expect(refused.status == .forbidden && refused.json["title"] as? String == "Not from this address")
            #expect(refused.json["detail"] as? String == "This API key may be used only from 10.0.0.0/8, fd00::/8; this request came from 127.0.0.1.")
            let (_, here) = try await Self.key(session, ["actions": ["appointments.read"], "allowed_addresses": ["127.0.0.0/8"]])
            #expect(try await here.get("appointments").status == .ok)

            let berlin = TimeZone(identifier: "Europe/Berlin")!  // the test tenant's
            let today = CalendarDate.today(in: berlin)
            let (lastDay, _) = try await Self.key(session, ["valid_until": today.description])
            #expect(lastDay["valid_until"] as? String == today.description)
            let keyID = lastDay["id"] as? Int
            let database = try await clinic.server.databases.database(for: TenantID("clinic")!, creating: false)
            let expiry = try await database.read { db in
                try String.fetchOne(db, sql: "SELECT expires_at FROM access_tokens WHERE id = ?", arguments: [keyID])
            }
            // It stops at midnight after its last day in Berlin (22:00 or 23:00 UTC), not in UTC.
            #expect(expiry == Timestamp.string(today.adding(days: 1).start(in: berlin)))
            #expect(expiry?.contains("T22:00:00") == true || expiry?.contains("T23:00:00") == true)

            let audit = try await session.signIn(as: .admin).get("audit?action=auth.key_address_refused").json["entries"] as? [[String: Any]]
            #expect(audit?.count == 1 && audit?.first?["client_address"] as? String == "127.0.0.1")
        }
    }

    @Test func addressRangesReadAsAdminsWriteThem() {
        let lan = AddressRange("192.168.1.0/24")
        #expect(lan?.contains("192.168.1.77") == true && lan?.contains("192.168.2.1") == false)
        #expect(lan?.contains("::ffff:192.168.1.20") == true, "a dual-stack socket reports IPv4 clients so")
        #expect(AddressRange("192.168.1.77/24")?.description == "192.168.1.0/24")
        #expect(AddressRange("10.0.0.7")?.contains("10.0.0.7") == true && AddressRange("10.0.0.7")?.contains("10.0.0.8") == false)
        #expect(AddressRange("fd00::/8")?.contains("fd12:3456::1") == true && AddressRange("fd00::/8")?.contains("fe80::1") == false)
        #expect(AddressRange("0.0.0.0/0")?.contains("8.8.8.8") == true && AddressRange("0.0.0.0/0")?.contains("::1") == false)
        for bad in ["192.168.1.0/33", "192.168.1", "10.0.0.0/+8", "example.org", "", "/8", "10.0.0.0/8/8"] {
            #expect(AddressRange(bad) == nil, "\(bad)")
        }
        #expect(AddressRange("unknown") == nil && lan?.contains("unknown") == false)
    }
}
