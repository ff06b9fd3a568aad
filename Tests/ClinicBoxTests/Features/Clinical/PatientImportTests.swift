import Foundation
import GRDB
import HummingbirdTesting
import Testing

@testable import ClinicBox
@testable import ClinicBoxCore
@testable import Clinical
@testable import Patients

/// Bringing existing records in (issue #31, item 5): a CSV file checked row by row, reported by line and column,
/// imported in one transaction, and never twice.
@Suite struct PatientImportTests {
    static let header = "source_number,first_name,last_name,date_of_birth,sex,phone,allergies,problems"

    /// `count` distinct, valid patients, one a line, numbered from `start`.
    static func rows(_ count: Int, start: Int = 1) -> String {
        (start..<start + count).map { index in
            // A birthday of its own for each (from 1 Jan 1960 on), written the local way, day first.
            let born = CalendarDate(daysSinceEpoch: -3_653 + index)
            let day = String(format: "%02d/%02d/%04d", born.day, born.month, born.year)
            return "OLD-\(index),Given\(index),Family\(index),\(day),\(index % 2 == 0 ? "female" : "male"),+254 7\(String(format: "%08d", index)),,"
        }.joined(separator: "\n")
    }

    static func server(_ workspace: TestWorkspace) async throws -> ClinicBoxServer {
        try workspace.write("clinic", TestTenant.yaml("clinic", features: ["patients"], extra: "country: KE\n"))
        let server = try await workspace.server()
        try await server.addUser("boss@example.com", name: "Grace Boss", role: .admin, password: TestUsers.password, to: ["clinic"])
        try await server.addUser("desk@example.com", role: .staff, password: TestUsers.password, to: ["clinic"])
        return server
    }

    @Test func aDryRunReportsEachBadRowByLineAndColumnAndImportsNothing() async throws {
        let workspace = try TestWorkspace()
        let path = workspace.root + "/patients.csv"
        try """
        \(Self.header)
        A-1,Oliver,Bennett,03/03/1980,male,0712 345678,Penicillin; Latex,Hypertension
        A-2,,Smith,1990-01-01,female,,,
        A-3,Mary,Jones,31/02/1990,female,,,
        A-4,Joe,Bloggs,1991-05-05,yes,,,
        A-5,Amy,Lee,1992-06-06,female,not a phone,,
        A-6,"Zed, Jr",Zulu,1993-07-07,female,,Amoxi\u{200B}cillin,
        A-7,Too,Few
        """.write(toFile: path, atomically: true, encoding: .utf8)
        try workspace.write("clinic", TestTenant.yaml("clinic", features: ["patients"], extra: "country: KE\n"))
        let arguments = ["import-patients", "--tenant", "clinic", "--tenants", workspace.tenants, "--data", workspace.data, path]
        let dry = try await ClinicBoxBinary.run(arguments + ["--dry-run"], in: workspace.root)
        #expect(dry.status == 1)
        #expect(
            dry.output == """
                \(path):3:2: first_name: is required
                \(path):4:4: date_of_birth: '31/02/1990' is not a date; write DD/MM/YYYY or YYYY-MM-DD
                \(path):5:5: sex: must be one of female, male, other, unknown
                \(path):6:6: phone: must be a phone number: digits, spaces, +, -, ( ) and at least 5 digits
                \(path):7:7: allergies: 'Amoxi\\u200Bcillin' must not contain tabs, line breaks or invisible characters
                \(path):8:1: has 3 fields; the header has 8
                7 row(s): would import 1, 0 already here, 6 problem(s)

                """,
            "\(dry.output)"
        )
        let imported = try await ClinicBoxBinary.run(arguments, in: workspace.root)
        #expect(imported.output.hasSuffix("7 row(s): imported 1, 0 already here, 6 problem(s)\n"))
        let database = try TenantDatabase.openForTests(
            TenantID("clinic")!,
            in: workspace.data,
            schema: .forTenant(features: ["patients"], catalog: .standard)
        )
        let (patient, allergies, problems) = try await database.read { db in
            (
                try Row.fetchOne(db, sql: "SELECT first_name, date_of_birth, phone_e164, source_number FROM patients").map {
                    [$0["first_name"], $0["date_of_birth"], $0["phone_e164"], $0["source_number"]] as [String?]
                },
                try String.fetchAll(db, sql: "SELECT substance || ' by ' || recorded_by_name FROM patient_allergies ORDER BY id"),
                try String.fetchAll(db, sql: "SELECT description FROM patient_problems")
            )
        }
        #expect(patient == ["Oliver", "1980-03-03", "+254712345678", "A-1"], "the local date read day first, the phone written in full for search")
        #expect(allergies == ["Penicillin by Imported from patients.csv", "Latex by Imported from patients.csv"] && problems == ["Hypertension"])
    }

    @Test func tenThousandRowsComeInOneTransactionAndASecondRunFindsThemAllAlreadyHere() async throws {
        let workspace = try TestWorkspace()
        let server = try await Self.server(workspace)
        let database = try await server.databases.database(for: TenantID("clinic")!, creating: true)
        let definition = try #require(server.registry.current.tenant(TenantID("clinic")!)?.definition)
        let text = Self.header + "\n" + Self.rows(10_000) + "\n"
        let today = CalendarDate.today(in: TimeZone(identifier: "Europe/Berlin")!)
        let first = try await database.write { db in
            try PatientImport.run(db, text: text, fileName: "old.csv", definition: definition, today: today, dryRun: false, actor: .commandLine)
        }
        #expect(first.problems.isEmpty && first.duplicates.isEmpty, "\(first.problems.prefix(3)) \(first.duplicates.prefix(3))")
        #expect(first.rows == 10_000 && first.imported == 10_000)
        #expect(try await database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM patients") } == 10_000)
        let second = try await database.write { db in
            try PatientImport.run(db, text: text, fileName: "old.csv", definition: definition, today: today, dryRun: false, actor: .commandLine)
        }
        #expect(second.imported == 0 && second.duplicates.count == 10_000)
        #expect(second.duplicates.first?.message == "source number OLD-1 was already imported as P-000001")
        // Without source numbers, the same people are still found: by date of birth and name, or phone.
        let anonymous = text.split(separator: "\n").map { line in line.hasPrefix("OLD-") ? String(line.drop { $0 != "," }) : String(line) }
        let third = try await database.write { db in
            try PatientImport.run(
                db,
                text: anonymous.prefix(101).joined(separator: "\n"),
                fileName: "again.csv",
                definition: definition,
                today: today,
                dryRun: false,
                actor: .commandLine
            )
        }
        #expect(third.imported == 0 && third.duplicates.count == 100, "\(third.imported) \(third.problems.prefix(2))")
        #expect(
            third.duplicates.first?.message.hasPrefix("may already be registered: P-000001 Given1 Family1") == true,
            "\(third.duplicates.first?.message ?? "")"
        )
    }

    @Test func theAdminChecksThenImportsOnThePage() async throws {
        let scenario = try await ClinicScenario(tenant: "") { try await Self.server($0) }
        try await scenario.run { session in
            var desk = WebBrowser(session.client)
            try await desk.signIn(tenant: "clinic", email: "desk@example.com", password: TestUsers.password)
            #expect(try await desk.get("/t/clinic/patients/import").status == .forbidden)
            var boss = WebBrowser(session.client)
            try await boss.signIn(tenant: "clinic", email: "boss@example.com", password: TestUsers.password)
            #expect(try await boss.get("/t/clinic/patients").cells.contains(">Import patients</a>"))
            try await boss.get("/t/clinic/patients/import")
            var form = MultipartForm([("mode", "check")])
            form.addFile(fileName: "old.csv", type: "text/csv", bytes: Array((Self.header + "\n" + Self.rows(3) + "\nX-9,,Nobody,,,,,\n").utf8))
            let checked = try await boss.upload("/t/clinic/patients/import", form)
            #expect(checked.cells.contains("old.csv: 4 rows checked. 3 would be imported, 0 are already here, 1 problems. Nothing was imported."))
            #expect(checked.cells.contains("<td>5</td><td>2</td><td>first_name: is required</td>"))
            var real = MultipartForm([("mode", "import")])
            real.addFile(fileName: "old.csv", type: "text/csv", bytes: Array((Self.header + "\n" + Self.rows(3)).utf8))
            let done = try await boss.upload("/t/clinic/patients/import", real)
            #expect(done.cells.contains("old.csv: 3 patients imported, 0 already here and skipped, 0 problems"))
            #expect(try await boss.get("/t/clinic/patients?q=Family2").cells.contains("Family2, Given2"))
        }
    }
}
