import ClinicBox
import ClinicBoxCore
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The real `clinicbox` binary, as an admin runs it: exit codes, printed lines, SIGHUP and a busy port.
@Suite struct CommandLineTests {
    @Test func metricsAreServedOnTheMetricsListenerAndNotThroughTheMainPort() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha")
        let metricsPort = ClinicBoxBinary.freePort()
        let (server, port) = try await ClinicBoxBinary.serve(workspace, ["--metrics-address", "127.0.0.1:\(metricsPort)"])
        defer { server.terminate() }
        for headers in [[], [("X-Real-IP", "203.0.113.9")], [("Forwarded", "for=203.0.113.9")], [("X-Forwarded-For", "203.0.113.9")]] {
            let main = try await RawHTTP.get(port: port, path: "/metrics", headers: [("Host", "localhost")] + headers)
            #expect(main.status == 401, "\(headers)")
        }
        let scraped = try await RawHTTP.get(port: metricsPort, path: "/metrics", headers: [("Host", "localhost")])
        #expect(scraped.status == 200 && scraped.body.contains("clinicbox_tenants 1"))
        #expect(try await RawHTTP.get(port: metricsPort, path: "/t/alpha/api/v1/tenant", headers: [("Host", "localhost")]).status == 404)
        let log = await ClinicBoxBinary.stop(server)
        #expect(log.contains("metrics at http://127.0.0.1:\(metricsPort)/metrics"))

        let bad = try await ClinicBoxBinary.run(
            ["serve", "--tenants", workspace.tenants, "--data", workspace.data, "--metrics-address", "localhost"],
            in: workspace.root
        )
        #expect(bad.status != 0 && bad.errors.contains("--metrics-address 'localhost': write HOST:PORT"))
    }

    @Test func checkAcceptsTheShippedExamples() async throws {
        let run = try await ClinicBoxBinary.run(["check"], in: ClinicBoxBinary.packageRoot)
        #expect(run.status == 0)
        #expect(run.output == "3 valid tenant(s), 0 problem(s)\n")
    }

    @Test func checkPrintsEveryProblemAndFails() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("good")
        try workspace.write("bad", TestTenant.yaml("bad") + "feautres: []\n")
        let run = try await ClinicBoxBinary.run(["check", workspace.tenants, "--assets", workspace.assets], in: workspace.root)
        #expect(run.status == 1)
        #expect(run.output.hasPrefix("tenants.d/bad.yaml:7:1: unknown key 'feautres' (did you mean 'features'?)"))
        #expect(run.output.hasSuffix("1 valid tenant(s), 1 problem(s)\n"))
    }

    @Test func newTenantFileIsValidAndNeverOverwritten() async throws {
        let workspace = try TestWorkspace()
        try FileManager.default.copyItem(
            atPath: ClinicBoxBinary.packageRoot + "/Assets/logos/smile-dental.svg",
            toPath: workspace.assets + "/logos/smile-dental.svg"
        )
        for domain in ["clinic", "dental", "pharmacy", "general"] {
            let created = try await ClinicBoxBinary.run(
                ["tenant", "new", "new-\(domain)", "--domain", domain, "--tenants", workspace.tenants],
                in: workspace.root
            )
            #expect(created.status == 0, "\(created.errors)")
        }
        let check = try await ClinicBoxBinary.run(["check", workspace.tenants, "--assets", workspace.assets], in: workspace.root)
        #expect(check.output == "4 valid tenant(s), 0 problem(s)\n")
        let again = try await ClinicBoxBinary.run(
            ["tenant", "new", "new-clinic", "--domain", "clinic", "--tenants", workspace.tenants],
            in: workspace.root
        )
        #expect(again.status != 0)
        #expect(again.errors.contains("already exists"))
    }

    @Test func migratePrintsOneLinePerTenant() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha")
        try workspace.writeTenant("beta")
        let arguments = ["migrate", "--tenants", workspace.tenants, "--data", workspace.data, "--assets", workspace.assets]
        #expect(
            try await ClinicBoxBinary.run(arguments, in: workspace.root).output
                == "alpha: applied core.v1, accounts.v1, accounts.v2, accounts.v3, api.v1, accounts.v4, accounts.v5, accounts.v6, accounts.v7, accounts.v8, accounts.v9, patients.v1, patients.v2, patients.v3, patients.v4, patients.v5, patients.v6, patients.v7, patients.v8, patients.v9, patients.v10, patients.v11, patients.v12, patients.v13\nbeta: applied core.v1, accounts.v1, accounts.v2, accounts.v3, api.v1, accounts.v4, accounts.v5, accounts.v6, accounts.v7, accounts.v8, accounts.v9, patients.v1, patients.v2, patients.v3, patients.v4, patients.v5, patients.v6, patients.v7, patients.v8, patients.v9, patients.v10, patients.v11, patients.v12, patients.v13\n"
        )
        #expect(try await ClinicBoxBinary.run(arguments + ["--tenant", "beta"], in: workspace.root).output == "beta: up to date\n")
        #expect(FileManager.default.createFile(atPath: workspace.data + "/alpha.sqlite", contents: Data("not a database at all".utf8)))
        let damaged = try await ClinicBoxBinary.run(arguments, in: workspace.root)
        #expect(damaged.status == 1)
        #expect(damaged.output.hasPrefix("alpha: FAILED — \(workspace.data)/alpha.sqlite is not a SQLite database"))
        #expect(damaged.output.hasSuffix("beta: up to date\n"))
    }

    @Test func serverReloadsOnSIGHUPAndReportsABusyPort() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha")
        let port = ClinicBoxBinary.freePort()
        let arguments = [
            "serve", "--tenants", workspace.tenants, "--data", workspace.data, "--assets", workspace.assets, "--port", "\(port)",
            "--reload-interval", "600", "--no-watch",
        ]
        let server = try ClinicBoxBinary.start(arguments, in: workspace.root)
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

        let second = try await ClinicBoxBinary.run(arguments, in: workspace.root)
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

extension CommandLineTests {
    @Test func usersAreManagedWithPasswordsFromStandardInput() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha", extra: "branches: [{code: main, name: Main}]")
        let folders = ["--tenant", "alpha", "--tenants", workspace.tenants, "--data", workspace.data, "--assets", workspace.assets]
        let added = try await ClinicBoxBinary.run(
            ["user", "add", "--email", "Admin@Example.com", "--role", "admin", "--name", "Dr Amina Njoroge", "--practitioner"]
                + ["--registration-number", "KMPDC A1234"] + folders,
            in: workspace.root,
            input: "a long front-office passphrase\n"
        )
        #expect(added.status == 0, "\(added.errors)")
        #expect(added.output == "added admin@example.com (admin) to tenant alpha\n")
        let registration = try await DatabaseQueue(path: "\(workspace.data)/alpha.sqlite").read { db in
            try String.fetchOne(db, sql: "SELECT registration_number FROM users WHERE email = 'admin@example.com'")
        }
        #expect(registration == "KMPDC A1234", "printed on what they prescribe")

        let weak = try await ClinicBoxBinary.run(
            ["user", "add", "--email", "x@example.com", "--role", "staff"] + folders,
            in: workspace.root,
            input: "short\n"
        )
        #expect(weak.status != 0)
        #expect(weak.errors.contains("password: the password is 5 characters long; use at least 10"))

        let noPassword = try await ClinicBoxBinary.run(["user", "add", "--email", "y@example.com", "--role", "staff"] + folders, in: workspace.root)
        #expect(noPassword.status != 0)
        #expect(noPassword.errors.contains("no password on standard input"))

        let asArgument = try await ClinicBoxBinary.run(
            ["user", "add", "--email", "z@example.com", "--role", "staff", "--password", "secret-secret"] + folders,
            in: workspace.root
        )
        #expect(asArgument.status != 0)  // there is no such option, on purpose

        _ = try await ClinicBoxBinary.run(
            ["user", "add", "--email", "desk@example.com", "--role", "staff", "--branches", "main"] + folders,
            in: workspace.root,
            input: "quiet morning rainfall\n"
        )
        #expect(try await ClinicBoxBinary.run(["user", "disable", "--email", "desk@example.com"] + folders, in: workspace.root).status == 0)
        let admin = try await ClinicBoxBinary.run(
            ["admin", "add", "--email", "root@example.com", "--data", workspace.data],
            in: workspace.root,
            input: "system passphrase here\n"
        )
        #expect(admin.output == "added system administrator root@example.com\n", "\(admin.errors)")
        let data = ["--data", workspace.data]
        let passwd = try await ClinicBoxBinary.run(
            ["admin", "passwd", "--email", "ROOT@example.com"] + data,
            in: workspace.root,
            input: "another system passphrase\n"
        )
        #expect(passwd.output == "password changed for root@example.com; their tokens are revoked\n", "\(passwd.errors)")
        let unknown = try await ClinicBoxBinary.run(["admin", "disable", "--email", "nobody@example.com"] + data, in: workspace.root)
        #expect(unknown.status != 0)
        #expect(unknown.errors.contains("no system administrator with the email nobody@example.com"))
        #expect(try await ClinicBoxBinary.run(["admin", "disable", "--email", "root@example.com"] + data, in: workspace.root).status == 0)
        let admins = try await ClinicBoxBinary.run(["admin", "list"] + data, in: workspace.root)
        #expect(admins.output.hasPrefix("root@example.com\tdisabled\tsince "), "\(admins.output)")
        let list = try await ClinicBoxBinary.run(["user", "list"] + folders, in: workspace.root)
        #expect(
            list.output
                == "admin@example.com\tadmin,practitioner\tall branches\tactive\tDr Amina Njoroge\ndesk@example.com\tstaff\tmain\tdisabled\tdesk\n"
        )
    }

    /// The server remembers a token's user for a moment (SignInCache); a change made by another process must still
    /// reach it within that moment.
    @Test func userDisabledFromTheCommandLineLosesAccessToTheRunningServerWithinTwoSeconds() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha")
        let server = try await workspace.server()
        try await server.addUser("desk@example.com", role: .staff, password: TestUsers.password, to: ["alpha"])
        try await server.application.test(.router) { client in
            let token = try await TestUsers.token(client, email: "desk@example.com")
            let before = try await client.execute(uri: "/t/alpha/api/v1/patients", method: .get, headers: TestUsers.bearer(token))
            #expect(before.status == .ok)
            let folders = ["--tenant", "alpha", "--tenants", workspace.tenants, "--data", workspace.data, "--assets", workspace.assets]
            let disabled = try await ClinicBoxBinary.run(["user", "disable", "--email", "desk@example.com"] + folders, in: workspace.root)
            #expect(disabled.status == 0, "\(disabled.errors)")
            let asked = ContinuousClock.now
            try await Task.sleep(for: .seconds(2.2))
            let after = try await client.execute(uri: "/t/alpha/api/v1/patients", method: .get, headers: TestUsers.bearer(token))
            if after.status != .unauthorized {
                // This failed twice in full-suite runs and never alone; say what the server saw, to find out why.
                let users = try await server.accounts("alpha").list().map { "\($0.email) active=\($0.active)" }
                // A new connection of our own: does the file hold the change the server's connections do not see?
                let fresh = try DatabaseQueue(path: workspace.data + "/alpha.sqlite")
                let onDisk = try await fresh.read { db in try Int.fetchOne(db, sql: "SELECT active FROM users WHERE email = 'desk@example.com'") }
                try await Task.sleep(for: .seconds(3))
                let later = try await client.execute(uri: "/t/alpha/api/v1/patients", method: .get, headers: TestUsers.bearer(token))
                Issue.record(
                    "still \(after.status) \(ContinuousClock.now - asked) after the disable; the server reads \(users), a new connection reads active=\(onDisk.map(String.init) ?? "nil"); 3 s later: \(later.status)"
                )
            }
        }
    }
}
