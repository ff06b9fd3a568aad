import Foundation
import Testing

/// The real `clinicbox` binary, as an admin runs it: exit codes, printed lines, SIGHUP and a busy port.
@Suite struct CommandLineTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let binary = packageRoot + "/.build/debug/clinicbox"

    struct Run {
        var status: Int32
        var output: String
        var errors: String
    }

    /// Runs the binary to completion off the cooperative thread pool.
    static func run(_ arguments: [String], in folder: String) async throws -> Run {
        let process = try start(arguments, in: folder)
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let output = (process.standardOutput as! Pipe).fileHandleForReading.readDataToEndOfFile()
                let errors = (process.standardError as! Pipe).fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: Run(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self), errors: String(decoding: errors, as: UTF8.self)))
            }
        }
    }

    static func start(_ arguments: [String], in folder: String) throws -> Process {
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build the binary first: swift build")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func freePort() -> Int {
        Int.random(in: 20_000..<40_000)
    }

    @Test func checkAcceptsTheShippedExamples() async throws {
        let run = try await Self.run(["check"], in: Self.packageRoot)
        #expect(run.status == 0)
        #expect(run.output == "3 valid tenant(s), 0 problem(s)\n")
    }

    @Test func checkPrintsEveryProblemAndFails() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("good")
        try workspace.write("bad", TestTenant.yaml("bad") + "feautres: []\n")
        let run = try await Self.run(["check", workspace.tenants, "--assets", workspace.assets], in: workspace.root)
        #expect(run.status == 1)
        #expect(run.output.hasPrefix("tenants.d/bad.yaml:7:1: unknown key 'feautres' (did you mean 'features'?)"))
        #expect(run.output.hasSuffix("1 valid tenant(s), 1 problem(s)\n"))
    }

    @Test func newTenantFileIsValidAndNeverOverwritten() async throws {
        let workspace = try TestWorkspace()
        try FileManager.default.copyItem(atPath: Self.packageRoot + "/Assets/logos/smile-dental.svg", toPath: workspace.assets + "/logos/smile-dental.svg")
        for domain in ["clinic", "dental", "pharmacy", "general"] {
            let created = try await Self.run(["tenant", "new", "new-\(domain)", "--domain", domain, "--tenants", workspace.tenants], in: workspace.root)
            #expect(created.status == 0, "\(created.errors)")
        }
        let check = try await Self.run(["check", workspace.tenants, "--assets", workspace.assets], in: workspace.root)
        #expect(check.output == "4 valid tenant(s), 0 problem(s)\n")
        let again = try await Self.run(["tenant", "new", "new-clinic", "--domain", "clinic", "--tenants", workspace.tenants], in: workspace.root)
        #expect(again.status != 0)
        #expect(again.errors.contains("already exists"))
    }

    @Test func migratePrintsOneLinePerTenant() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha")
        try workspace.writeTenant("beta")
        let arguments = ["migrate", "--tenants", workspace.tenants, "--data", workspace.data, "--assets", workspace.assets]
        #expect(try await Self.run(arguments, in: workspace.root).output == "alpha: applied core.v1\nbeta: applied core.v1\n")
        #expect(try await Self.run(arguments + ["--tenant", "beta"], in: workspace.root).output == "beta: up to date\n")
        FileManager.default.createFile(atPath: workspace.data + "/alpha.sqlite", contents: Data("not a database at all".utf8))
        let damaged = try await Self.run(arguments, in: workspace.root)
        #expect(damaged.status == 1)
        #expect(damaged.output.hasPrefix("alpha: FAILED — \(workspace.data)/alpha.sqlite is not a SQLite database"))
        #expect(damaged.output.hasSuffix("beta: up to date\n"))
    }

    @Test func serverReloadsOnSIGHUPAndReportsABusyPort() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha")
        let port = Self.freePort()
        let arguments = [
            "serve", "--tenants", workspace.tenants, "--data", workspace.data, "--assets", workspace.assets, "--port", "\(port)",
            "--reload-interval", "600", "--no-watch",
        ]
        let server = try Self.start(arguments, in: workspace.root)
        defer { server.terminate() }
        func status(_ tenant: String) async -> Int {
            (try? await RawHTTP.get(port: port, path: "/t/\(tenant)/api/v1/tenant", headers: [("Host", "localhost")]).status) ?? 0
        }
        var ready = false
        for _ in 0..<100 where !ready {
            try await Task.sleep(for: .milliseconds(100))
            ready = await status("alpha") == 200
        }
        #expect(ready)

        try workspace.writeTenant("beta")
        try await Task.sleep(for: .milliseconds(300))
        #expect(await status("beta") == 404)  // no file watching and a 10-minute re-read: only SIGHUP can load it now
        kill(server.processIdentifier, SIGHUP)
        var served = false
        for _ in 0..<20 where !served {
            try await Task.sleep(for: .milliseconds(50))
            served = await status("beta") == 200
        }
        #expect(served)

        let second = try await Self.run(arguments, in: workspace.root)
        #expect(second.status != 0)
        #expect(second.errors.contains("port \(port) on 127.0.0.1 is already in use"))

        server.terminate()
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                server.waitUntilExit()
                continuation.resume()
            }
        }
        #expect(server.terminationStatus == 0)
    }
}
