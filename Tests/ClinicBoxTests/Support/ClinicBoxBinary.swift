import ClinicBox
import ClinicBoxCore
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The real `clinicbox` binary, as an admin runs it: to completion, or as a server to stop with SIGTERM.
enum ClinicBoxBinary {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let binary = packageRoot + "/.build/debug/clinicbox"

    struct Run {
        var status: Int32
        var output: String
        var errors: String
    }

    /// Runs the binary to completion off the cooperative thread pool, with `input` on its standard input.
    static func run(_ arguments: [String], in folder: String, input: String? = nil) async throws -> Run {
        let process = try start(arguments, in: folder, input: input)
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let output = (process.standardOutput as! Pipe).fileHandleForReading.readDataToEndOfFile()
                let errors = (process.standardError as! Pipe).fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(
                    returning: Run(
                        status: process.terminationStatus,
                        output: String(decoding: output, as: UTF8.self),
                        errors: String(decoding: errors, as: UTF8.self)
                    )
                )
            }
        }
    }

    /// Servers get no metrics listener unless a test asks for one: tests run side by side, and the default port
    /// (9464) can only be had by one of them.
    static func start(_ arguments: [String], in folder: String, input: String? = nil) throws -> Process {
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build the binary first: swift build")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        let metrics = arguments.first == "serve" && !arguments.contains("--metrics-address") ? ["--metrics-address", "off"] : []
        process.arguments = arguments + metrics
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        let stdin = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        try process.run()
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        return process
    }

    static func freePort() -> Int {
        Int.random(in: 20_000..<40_000)
    }

    /// Starts `clinicbox serve` on the workspace with `extra` options and waits until `/readyz` answers 200.
    static func serve(_ workspace: TestWorkspace, _ extra: [String] = []) async throws -> (server: Process, port: Int) {
        let port = freePort()
        let server = try start(
            ["serve", "--tenants", workspace.tenants, "--data", workspace.data, "--port", "\(port)", "--no-watch"] + extra,
            in: workspace.root
        )
        for _ in 0..<100 {
            try await Task.sleep(for: .milliseconds(100))
            if (try? await RawHTTP.get(port: port, path: "/readyz", headers: [("Host", "localhost")]).status) == 200 { return (server, port) }
        }
        server.terminate()
        throw POSIXError(.ETIMEDOUT)  // not ready within 10 s
    }

    /// Sends SIGTERM and waits for the exit, off the cooperative pool; returns what it wrote to standard error.
    static func stop(_ server: Process) async -> String {
        kill(server.processIdentifier, SIGTERM)
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let data = (server.standardError as! Pipe).fileHandleForReading.readDataToEndOfFile()
                server.waitUntilExit()
                continuation.resume(returning: String(decoding: data, as: UTF8.self))
            }
        }
    }

    /// A proxy on the box forwards from loopback, with or without a header saying so: only the metrics listener
    /// serves metrics without the token.
}
