import ClinicBox
import ClinicBoxCore
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Moving a clinic to another box with the real binary: `export` on one, `import` on the other.
@Suite struct TenantMoveTests {
    static let logo = #"<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>"#
    /// A scan on Ada's chart: a PNG signature and 300 KB of noise, so any change to a byte would show.
    static let scan: [UInt8] = MultipartForm.png.prefix(16) + (0..<300_000).map { _ in UInt8.random(in: 0...255) }

    /// Tenant alpha with its own logo, one patient with a document and its users, written by a real server.
    static func clinic(_ workspace: TestWorkspace) async throws {
        try logo.write(toFile: workspace.tenants + "/assets/alpha-logo.svg", atomically: true, encoding: .utf8)
        try workspace.writeTenant("alpha", extra: "branding:\n  logo: alpha-logo.svg\n")
        try workspace.writeTenant("beta")
        let server = try await workspace.server()
        try await server.addUser("desk@example.com", role: .staff, password: TestUsers.password, to: ["alpha", "beta"])
        try await server.application.test(.router) { client in
            let desk = try await APIClient.signIn(client, tenant: "alpha", email: "desk@example.com")
            let ada = try await desk.create("patients", ["first_name": "Ada", "last_name": "Lovelace"])
            var form = MultipartForm([("title", "Insurance card"), ("clinical", "false")])
            form.addFile(fileName: "card.png", type: "image/png", bytes: Self.scan)
            let filed = try await desk.upload("patients/\(ada["id"] as? Int ?? 0)/documents", form)
            try #require(filed.status == .created, "\(filed.text)")
        }
        server.databases.closeAll()
    }

    static func folders(_ workspace: TestWorkspace) -> [String] { ["--tenants", workspace.tenants, "--data", workspace.data] }

    @Test func exportThenImportMovesTheTenantWithItsDataUsersAndLogo() async throws {
        let (old, new) = (try TestWorkspace(), try TestWorkspace())
        try await Self.clinic(old)
        let archive = old.root + "/alpha.tar"
        let exported = try await ClinicBoxBinary.run(["export", "--tenant", "alpha", "--out", archive] + Self.folders(old), in: old.root)
        #expect(exported.status == 0 && exported.output.contains("alpha: exported to \(archive)"), "\(exported.errors)")

        // Another tenant's logo of the same name on the new box is never overwritten.
        try "<svg/>".write(toFile: new.tenants + "/assets/alpha-logo.svg", atomically: true, encoding: .utf8)
        let clash = try await ClinicBoxBinary.run(["import", archive] + Self.folders(new), in: new.root)
        #expect(clash.status == 1 && clash.errors.contains("alpha-logo.svg already exists with other content"), "\(clash.errors)")
        #expect(try String(contentsOfFile: new.tenants + "/assets/alpha-logo.svg", encoding: .utf8) == "<svg/>")
        try FileManager.default.removeItem(atPath: new.tenants + "/assets/alpha-logo.svg")

        let imported = try await ClinicBoxBinary.run(["import", archive] + Self.folders(new), in: new.root)
        #expect(imported.status == 0 && imported.output.contains("alpha: imported from"), "\(imported.errors)")
        #expect(try String(contentsOfFile: new.tenants + "/assets/alpha-logo.svg", encoding: .utf8) == Self.logo)
        #expect(!FileManager.default.fileExists(atPath: new.tenants + "/beta.yaml"))  // only the exported tenant moves

        let server = try await new.server()
        try await server.application.test(.router) { client in
            let desk = try await APIClient.signIn(client, tenant: "alpha", email: "desk@example.com")
            #expect(try await TestRecords.patientNames(desk) == ["Lovelace"])
            // Documents live in the tenant's database file, so they move with it, byte for byte.
            let documents = try await desk.get("patients/1/documents").items
            #expect(documents.map { $0["title"] as? String } == ["Insurance card"])
            let download = try await desk.get("documents/\(documents.first?["id"] as? Int ?? 0)")
            #expect(download.status == .ok && Array(buffer: download.body) == Self.scan, "the imported document is the one filed")
            let logo = try await client.execute(uri: "/api/tenants/alpha/logo", method: .get)
            #expect(logo.status == .ok && String(buffer: logo.body) == Self.logo)
        }

        // Again: refused without --replace; with it, the database it replaces is kept.
        let again = try await ClinicBoxBinary.run(["import", archive] + Self.folders(new), in: new.root)
        #expect(again.status == 1 && again.errors.contains("tenant 'alpha' already exists here") && again.errors.contains("--replace"))
        let replaced = try await ClinicBoxBinary.run(["import", archive, "--replace"] + Self.folders(new), in: new.root)
        #expect(replaced.status == 0 && replaced.output.contains("the previous database is kept as"), "\(replaced.errors)")
    }

    @Test func aDamagedArchiveIsRefusedAndWritesNothing() async throws {
        let (old, new) = (try TestWorkspace(), try TestWorkspace())
        try await Self.clinic(old)
        let archive = old.root + "/alpha.tar"
        #expect(try await ClinicBoxBinary.run(["export", "--tenant", "alpha", "--out", archive] + Self.folders(old), in: old.root).status == 0)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: archive))
        bytes[bytes.count - 2048] ^= 0xFF  // inside the database, the archive's last file
        try bytes.write(to: URL(fileURLWithPath: archive))

        let refused = try await ClinicBoxBinary.run(["import", archive] + Self.folders(new), in: new.root)
        #expect(refused.status == 1 && refused.errors.contains("does not match the checksum in its manifest"), "\(refused.errors)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: new.tenants).filter { $0.hasSuffix(".yaml") }.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: new.data).isEmpty)

        let notAnArchive = old.root + "/notes.txt"
        try "hello".write(toFile: notAnArchive, atomically: true, encoding: .utf8)
        let garbage = try await ClinicBoxBinary.run(["import", notAnArchive] + Self.folders(new), in: new.root)
        #expect(garbage.status == 1 && garbage.errors.contains("notes.txt"), "\(garbage.errors)")
    }

    @Test func backupAndRestoreCommandsPrintWhatTheyDid() async throws {
        let workspace = try TestWorkspace()
        try await Self.clinic(workspace)
        let out = workspace.root + "/backups"
        let backup = try await ClinicBoxBinary.run(["backup", "--out", out] + Self.folders(workspace), in: workspace.root)
        #expect(
            backup.status == 0 && backup.output.contains("alpha: \(out)/alpha/alpha-") && backup.output.contains("integrity ok"),
            "\(backup.errors)"
        )
        #expect(backup.output.contains("beta: no database yet") || backup.output.contains("beta: \(out)/beta/"))
        let file = try #require(TenantBackups(folder: out).list(TenantID("alpha")!).last).file
        // Patient data is readable by the server's user only, whatever the shell's umask.
        let permissions = try FileManager.default.attributesOfItem(atPath: "\(out)/alpha/\(file)")[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        let restored = try await ClinicBoxBinary.run(
            ["restore", "--tenant", "alpha", "\(out)/alpha/\(file)"] + Self.folders(workspace),
            in: workspace.root
        )
        #expect(
            restored.status == 0 && restored.output.contains("alpha: restored from") && restored.output.contains("alpha.sqlite.replaced-"),
            "\(restored.errors)"
        )
        let wrong = try await ClinicBoxBinary.run(
            ["restore", "--tenant", "beta", "\(out)/alpha/\(file)"] + Self.folders(workspace),
            in: workspace.root
        )
        #expect(wrong.status == 1 && wrong.errors.contains("is the database of tenant 'alpha', not 'beta'"))
        let server = try await workspace.server()
        try await server.application.test(.router) { client in
            let desk = try await APIClient.signIn(client, tenant: "alpha", email: "desk@example.com")
            let download = try await desk.get("documents/1")
            #expect(download.status == .ok && Array(buffer: download.body) == Self.scan, "a restored backup holds the document unchanged")
        }
    }
}
