import ClinicBox
import ClinicBoxCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// What a fuzz of tenant files found (issue #18, items 1–4): links that lead out of the folder, echoes that
/// run long or fake lines, positions that were wrong or missing, and control characters in text.
@Suite struct TenantFileHostileInputTests {
    static let base = TestTenant.yaml("t1").trimmingCharacters(in: .newlines) + "\n"

    // MARK: Links (item 1)

    @Test func aLinkOutOfTheFolderIsAProblemNamingTheLinkNeverItsTarget() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha")
        let secret = workspace.root + "/secret.txt"
        try "root:x:0:0:the secret line:/root:/bin/bash\n".write(toFile: secret, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: workspace.tenants + "/evil.yaml", withDestinationPath: secret)
        try FileManager.default.createSymbolicLink(atPath: workspace.tenants + "/passwd.yaml", withDestinationPath: "/etc/passwd")
        try FileManager.default.createSymbolicLink(atPath: workspace.tenants + "/dangling.yaml", withDestinationPath: workspace.root + "/nothing")

        let lines = workspace.check().problems.map(\.description)
        #expect(lines.contains { $0.hasPrefix("tenants.d/evil.yaml:1:1: is a symbolic link to a file outside tenants.d") })
        #expect(lines.contains { $0.hasPrefix("tenants.d/passwd.yaml:1:1: is a symbolic link to a file outside tenants.d") })
        #expect(lines.contains("tenants.d/dangling.yaml:1:1: is a symbolic link to nothing; remove it or point it at a tenant file"))
        #expect(!lines.joined().contains("secret") && !lines.joined().contains("root:"), "\(lines)")

        let server = try await workspace.server()
        try await server.application.test(.router) { client in
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.json["status"] as? String == "degraded" && health.json["problems"] as? Int == 3 && health.json["tenants"] as? Int == 1)
            #expect(!health.text.contains("evil") && !health.text.contains("root:") && !health.text.contains("secret"), "\(health.text)")
            let problems = try await client.serverProblems(workspace)
            #expect(
                problems.compactMap { $0["file"] as? String }.sorted() == ["tenants.d/dangling.yaml", "tenants.d/evil.yaml", "tenants.d/passwd.yaml"]
            )
        }
    }

    @Test func aLinkToAFileInsideTheFolderIsFollowedAndAnyLinkWhenAsked() throws {
        let workspace = try TestWorkspace()
        try FileManager.default.createDirectory(atPath: workspace.tenants + "/shared", withIntermediateDirectories: true)
        try TestTenant.yaml("alpha").write(toFile: workspace.tenants + "/shared/alpha.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: workspace.tenants + "/alpha.yaml", withDestinationPath: "shared/alpha.yaml")
        try TestTenant.yaml("beta").write(toFile: workspace.root + "/beta.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: workspace.tenants + "/beta.yaml", withDestinationPath: workspace.root + "/beta.yaml")

        let strict = TenantCheck.run(tenantsFolder: workspace.tenants, assetsFolder: workspace.assets, catalog: .standard, followSymlinks: false)
        #expect(strict.validTenants.map(\.rawValue) == ["alpha"])
        let following = TenantCheck.run(tenantsFolder: workspace.tenants, assetsFolder: workspace.assets, catalog: .standard, followSymlinks: true)
        #expect(following.validTenants.map(\.rawValue) == ["alpha", "beta"] && following.isClean, "\(following.problems)")
    }

    @Test func theCommandLineFollowsLinksOnlyWithTheFlag() async throws {
        let workspace = try TestWorkspace()
        try TestTenant.yaml("beta").write(toFile: workspace.root + "/beta.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: workspace.tenants + "/beta.yaml", withDestinationPath: workspace.root + "/beta.yaml")
        let refused = try await ClinicBoxBinary.run(["check", workspace.tenants], in: workspace.root)
        #expect(refused.status == 1 && refused.output.contains("tenants.d/beta.yaml:1:1: is a symbolic link to a file outside tenants.d"))
        let followed = try await ClinicBoxBinary.run(["check", "--tenants-follow-symlinks", workspace.tenants], in: workspace.root)
        #expect(followed.status == 0 && followed.output.contains("1 valid tenant(s), 0 problem(s)"), "\(followed.output)")
    }

    // MARK: Echoes (item 2)

    @Test func anEchoedValueIsShortAndOneProblemIsOneLine() throws {
        let workspace = try TestWorkspace()
        try workspace.write("t1", Self.base + "active: \"" + String(repeating: "x", count: 500_000) + "\"\n")
        try workspace.write("t2", TestTenant.yaml("t2") + "\"a\\ntenants.d/other.yaml:1:1: forged\": 1\n")
        try workspace.write(
            "t3",
            TestTenant.yaml("t3").replacingOccurrences(of: "domain: clinic", with: "domain: \"" + String(repeating: "y", count: 150) + "\"")
        )
        let lines = workspace.check().problems.map(\.description)
        #expect(lines.count == 3, "\(lines.map { $0.prefix(200) })")
        for line in lines {
            #expect(line.count < 400 && !line.contains("\n"), "\(line.prefix(300))")
        }
        #expect(lines.contains { $0.hasPrefix(#"tenants.d/t2.yaml:7:1: unknown key 'a\ntenants.d/other.yaml:1:1: forged'"#) }, "\(lines)")
        #expect(
            lines.contains { $0.hasPrefix("tenants.d/t3.yaml:3:9: domain '\(String(repeating: "y", count: 60))…' is not known") },
            "\(lines.map { $0.prefix(200) })"
        )
    }

    @Test func aFileNameWithALineBreakIsEscaped() throws {
        let workspace = try TestWorkspace()
        try "id: x\n".write(toFile: workspace.tenants + "/a\nforged.yml", atomically: true, encoding: .utf8)
        let lines = workspace.check().problems.map(\.description)
        #expect(lines == [#"tenants.d/a\nforged.yml:1:1: tenant files end in .yaml; rename it to a\nforged.yaml"#])
    }

    // MARK: Positions (item 3)

    @Test(arguments: ["? [a]\n: b\n", "[a]: b\n", "{a: 1}: b\n"])
    func complexKeysAreReportedAsKeysThatMustBePlainText(_ key: String) throws {
        let workspace = try TestWorkspace()
        try workspace.write("t1", Self.base + key)
        let lines = workspace.check().problems.map(\.description)
        #expect(lines.count == 1 && lines[0].hasPrefix("tenants.d/t1.yaml:7:") && lines[0].contains("keys must be plain text"), "\(lines)")
    }

    @Test func linesAreCountedAsEditorsCountThem() throws {
        let workspace = try TestWorkspace()
        // Line 7 onwards; NEL (U+0085) and LINE SEPARATOR are not line breaks in an editor; CRLF and CR are.
        try workspace.write("t1", Self.base + "contact:\n  address: \"a\u{85}b\u{2028}c\"\r\n  phonee: 1\rfeautres: []\n")
        let lines = workspace.check().problems.map(\.description)
        #expect(lines.contains { $0.hasPrefix("tenants.d/t1.yaml:9:3: contact: unknown key 'phonee'") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("tenants.d/t1.yaml:10:1: unknown key 'feautres'") }, "\(lines)")
    }

    @Test func wholeFileProblemsAndInvalidUTF8HaveAPosition() throws {
        let workspace = try TestWorkspace()
        var bytes = Data((Self.base + "name2: abc").utf8)
        bytes.append(contentsOf: [0xC3, 0x28])
        try bytes.write(to: URL(fileURLWithPath: workspace.tenants + "/t1.yaml"))
        try FileManager.default.createDirectory(atPath: workspace.tenants + "/folder.yaml", withIntermediateDirectories: true)
        let lines = workspace.check().problems.map(\.description)
        #expect(lines.contains("tenants.d/t1.yaml:7:11: is not UTF-8 text (the first invalid byte is here); save it as UTF-8"), "\(lines)")
        #expect(lines.contains("tenants.d/folder.yaml:1:1: is not a regular file; a tenant file is a plain text file"), "\(lines)")
    }

    // MARK: Control characters (item 4)

    @Test(arguments: [
        (#"name: "\0""#, #"name holds the control character \u0000"#),
        (
            #"name: "a\nb""#,
            #"name holds the control character \n, which text may not contain (line breaks are allowed only in contact.address and branch address)"#
        ),
        (#"name: "A\e[2J""#, #"name holds the control character \u001B"#),
        ("branches:\n  - {code: main, name: \"Ma\\0in\"}", #"branch name holds the control character \u0000"#),
    ])
    func controlCharactersInTextAreRefused(_ yaml: String, _ expected: String) throws {
        let workspace = try TestWorkspace()
        let text = yaml.hasPrefix("name:") ? Self.base.replacingOccurrences(of: "name: Tenant t1", with: yaml) : Self.base + yaml + "\n"
        try workspace.write("t1", text)
        let lines = workspace.check().problems.map(\.description)
        #expect(lines.count == 1 && lines[0].contains(expected), "\(lines)")
    }

    @Test func addressesKeepLineBreaksAndEmailsRefuseInvisibleCharacters() throws {
        let workspace = try TestWorkspace()
        try workspace.write(
            "t1",
            Self.base
                + "contact:\n  address: |\n    1 Harbour Road\n    Mombasa\nbranches:\n  - {code: main, name: Main, address: \"2 Quay\\nMombasa\"}\n"
        )
        try workspace.write("t2", TestTenant.yaml("t2") + "contact:\n  email: \"desk\\t@example.com\"\n")
        try workspace.write("t3", TestTenant.yaml("t3") + "contact:\n  email: \"\u{FEFF}desk@example.com\"\n")
        try workspace.write("t4", TestTenant.yaml("t4") + "contact:\n  email: \"desk\u{200B}@example.com\"\n")
        let report = workspace.check()
        #expect(report.definitions[TenantID("t1")!]?.contact.address == "1 Harbour Road\nMombasa")
        #expect(report.definitions[TenantID("t1")!]?.branches.first?.address == "2 Quay\nMombasa")
        let lines = report.problems.map(\.description)
        #expect(lines.contains { $0.hasPrefix(#"tenants.d/t2.yaml:8:10: contact.email holds the control character \t"#) }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix(#"tenants.d/t3.yaml:8:10: contact.email holds the control character \uFEFF"#) }, "\(lines)")
        #expect(
            lines.contains { $0.hasPrefix(#"tenants.d/t4.yaml:8:10: contact.email: 'desk\u200B@example.com' is not an email address"#) },
            "\(lines)"
        )
    }
}

/// `clinicbox check` over inputs of the YAML test suite (see `Fixtures/yaml-test-suite/README.md`).
@Suite struct YAMLTestSuiteTests {
    static let fixtures = ClinicBoxBinary.packageRoot + "/Tests/ClinicBoxTests/Fixtures/yaml-test-suite"

    @Test func everyProblemIsOneLineWithFileLineAndColumn() async throws {
        let workspace = try TestWorkspace()
        let inputs = try FileManager.default.contentsOfDirectory(atPath: Self.fixtures).filter { $0.hasSuffix(".yaml") }
        #expect(inputs.count >= 40)
        for name in inputs { try FileManager.default.copyItem(atPath: Self.fixtures + "/" + name, toPath: workspace.tenants + "/" + name) }
        let run = try await ClinicBoxBinary.run(["check", "tenants.d"], in: workspace.root)
        #expect(run.status == 1)
        var lines = run.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        try #require(!lines.isEmpty)
        let summary = lines.removeLast()
        #expect(summary == "0 valid tenant(s), \(lines.count) problem(s)", "\(summary)")
        let shape = /^tenants\.d\/yts-[0-9a-z]+\.yaml:([0-9]+):([0-9]+): \S.*$/
        for line in lines { #expect(line.wholeMatch(of: shape) != nil, "\(line)") }
        let files = Set(lines.compactMap { $0.split(separator: ":").first.map(String.init) })
        #expect(files == Set(inputs.map { "tenants.d/" + $0 }), "every input gives a problem")
    }
}
