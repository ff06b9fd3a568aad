import Foundation
import Testing

/// HTTPS on the box: a certificate made with Debian's openssl, checked by Python's ssl against that certificate,
/// replaced and picked up on SIGHUP; a bad file keeps the old one; a mismatched key stops the start naming the file.
@Suite(.serialized) struct HTTPSTests {
    static let available = FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")

    /// A self-signed certificate for localhost and 127.0.0.1, and its key, written to `cert` and `key`.
    static func makeCertificate(_ cert: String, _ key: String, name: String) throws {
        try run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=\(name)",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            ]
        )
    }

    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = Pipe()
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "\(tool) \(arguments.joined(separator: " ")) failed")
        return String(decoding: data, as: UTF8.self)
    }

    /// What Python's ssl sees at `port`, verifying against `cafile`: the subject's common name, whether the served
    /// certificate is the one in `cafile`, the HSTS header and the login page's cookie.
    static func probe(port: Int, cafile: String) throws -> [String: Any] {
        let script = """
            import hashlib, http.client, json, ssl, sys, time
            port, cafile = int(sys.argv[1]), sys.argv[2]
            context = ssl.create_default_context(cafile=cafile)
            for attempt in range(100):
                try:
                    connection = http.client.HTTPSConnection("localhost", port, context=context, timeout=5)
                    connection.request("GET", "/t/clinic/login")
                    break
                except (ConnectionRefusedError, OSError):
                    time.sleep(0.1)
            response = connection.getresponse()
            served = connection.sock.getpeercert(binary_form=True)
            subject = dict(item[0] for item in connection.sock.getpeercert()["subject"])
            expected = ssl.PEM_cert_to_DER_cert(open(cafile).read())
            print(json.dumps({"status": response.status, "common_name": subject.get("commonName"), "same": served == expected,
                              "hsts": response.getheader("Strict-Transport-Security"), "cookies": response.getheader("Set-Cookie")}))
            """
        let output = try run("/usr/bin/python3", ["-c", script, String(port), cafile])
        return try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
    }

    @Test(.enabled(if: available)) func theBoxServesHTTPSAndTakesARenewedCertificateOnSIGHUP() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("clinic")
        let (cert, key) = (workspace.root + "/cert.pem", workspace.root + "/key.pem")
        try Self.makeCertificate(cert, key, name: "first")
        let (port, redirect) = (ClinicBoxBinary.freePort(), ClinicBoxBinary.freePort())
        let server = try ClinicBoxBinary.start(
            [
                "serve", "--tenants", workspace.tenants, "--data", workspace.data, "--port", "\(port)", "--no-watch", "--tls-cert", cert, "--tls-key",
                key, "--http-redirect", "\(redirect)",
            ],
            in: workspace.root
        )
        let first = try Self.probe(port: port, cafile: cert)
        #expect(first["status"] as? Int == 200 && first["common_name"] as? String == "first" && first["same"] as? Bool == true)
        #expect(first["hsts"] as? String == "max-age=31536000")
        #expect((first["cookies"] as? String)?.contains("; Secure") == true, "\(first)")

        // Plain HTTP on the redirect port: to the same address over HTTPS.
        var plain: RawHTTP.Reply?
        for _ in 0..<50 where plain == nil {
            plain = try? await RawHTTP.get(
                port: redirect,
                path: "/t/clinic/login?next=/t/clinic/patients",
                headers: [("Host", "localhost:\(redirect)")]
            )
            if plain == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        let redirected = try #require(plain)
        #expect(redirected.status == 308 && redirected.headers["location"] == "https://localhost:\(port)/t/clinic/login?next=/t/clinic/patients")

        // A renewed certificate: written in place, SIGHUP, served to the next connection.
        try Self.makeCertificate(cert, key, name: "second")
        kill(server.processIdentifier, SIGHUP)
        var second: [String: Any] = [:]
        for _ in 0..<50 {
            second = try Self.probe(port: port, cafile: cert)
            if second["common_name"] as? String == "second" { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(second["common_name"] as? String == "second" && second["same"] as? Bool == true)

        // A broken file on SIGHUP: said by name, and the certificate in use stays.
        let renewed = try String(contentsOfFile: cert, encoding: .utf8)
        try "not a certificate\n".write(toFile: cert, atomically: true, encoding: .utf8)
        kill(server.processIdentifier, SIGHUP)
        try await Task.sleep(for: .milliseconds(500))
        try renewed.write(toFile: workspace.root + "/renewed.pem", atomically: true, encoding: .utf8)
        let still = try Self.probe(port: port, cafile: workspace.root + "/renewed.pem")
        #expect(still["common_name"] as? String == "second" && still["same"] as? Bool == true)
        let log = await ClinicBoxBinary.stop(server)
        #expect(log.contains("TLS certificate not reloaded, the one in use stays: \(cert): is not a PEM certificate"), "\(log)")
        #expect(log.contains("ClinicBox is serving 1 tenants at https://"))
    }

    @Test(.enabled(if: available)) func aMismatchedKeyAMissingFileOrAnExpiredCertificateStopsTheStartNamingTheFile() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("clinic")
        try Self.makeCertificate(workspace.root + "/a.pem", workspace.root + "/a.key", name: "a")
        try Self.makeCertificate(workspace.root + "/b.pem", workspace.root + "/b.key", name: "b")
        let base = ["serve", "--tenants", workspace.tenants, "--data", workspace.data, "--port", "\(ClinicBoxBinary.freePort())"]
        let mismatched = try await ClinicBoxBinary.run(
            base + ["--tls-cert", workspace.root + "/a.pem", "--tls-key", workspace.root + "/b.key"],
            in: workspace.root
        )
        #expect(mismatched.status != 0)
        #expect(
            mismatched.errors.contains(
                "HTTPS cannot start: \(workspace.root)/b.key: is not the key of the certificate \(workspace.root)/a.pem (their public keys differ)"
            ),
            "\(mismatched.errors)"
        )
        let missing = try await ClinicBoxBinary.run(
            base + ["--tls-cert", workspace.root + "/none.pem", "--tls-key", workspace.root + "/a.key"],
            in: workspace.root
        )
        #expect(missing.status != 0 && missing.errors.contains("\(workspace.root)/none.pem: there is no certificate file here"))
        // A certificate that expired in 2020, made by `openssl ca` (OpenSSL 3.0's `req` refuses dates in the past).
        let ca = workspace.root + "/ca"
        try FileManager.default.createDirectory(atPath: ca, withIntermediateDirectories: true)
        try "".write(toFile: ca + "/index.txt", atomically: true, encoding: .utf8)
        try "01\n".write(toFile: ca + "/serial", atomically: true, encoding: .utf8)
        try
            "[ca]\ndefault_ca=d\n[d]\ndatabase=\(ca)/index.txt\nnew_certs_dir=\(ca)\nserial=\(ca)/serial\ndefault_md=sha256\npolicy=p\nunique_subject=no\n[p]\ncommonName=supplied\n"
            .write(toFile: ca + "/ca.cnf", atomically: true, encoding: .utf8)
        try Self.run(
            "/usr/bin/openssl",
            ["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", ca + "/old.key", "-out", ca + "/old.csr", "-subj", "/CN=old"]
        )
        try Self.run(
            "/usr/bin/openssl",
            [
                "ca", "-batch", "-notext", "-config", ca + "/ca.cnf", "-selfsign", "-keyfile", ca + "/old.key", "-in", ca + "/old.csr", "-out",
                ca + "/old.pem", "-startdate", "20200101000000Z", "-enddate", "20200102000000Z",
            ]
        )
        let expired = try await ClinicBoxBinary.run(base + ["--tls-cert", ca + "/old.pem", "--tls-key", ca + "/old.key"], in: workspace.root)
        #expect(expired.status != 0 && expired.errors.contains("\(ca)/old.pem: the certificate expired on 2020-01-02; renew it"), "\(expired.errors)")
        let alone = try await ClinicBoxBinary.run(base + ["--tls-cert", workspace.root + "/a.pem"], in: workspace.root)
        #expect(alone.status != 0 && alone.errors.contains("--tls-cert and --tls-key go together"))
    }
}
