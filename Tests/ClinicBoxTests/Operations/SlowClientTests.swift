import ClinicBox
import ClinicBoxCore
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Slow and silent clients against the real binary: each kind of stall is cut off after its timeout, a client
/// that gives up mid-body is not a server error, and the connection cap says so in the log.
@Suite struct SlowClientTests {
    static let timeouts = ["--header-timeout", "2", "--body-timeout", "2", "--idle-timeout", "3"]

    @Test func aHeaderSentOneByteAtATimeIsCutOffAtTheHeaderTimeout() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha")
        let (server, port) = try await ClinicBoxBinary.serve(workspace, Self.timeouts)
        defer { server.terminate() }
        // Timed from before the connection opens: the server's deadline starts when it accepts it.
        let opened = ContinuousClock.now
        let fd = try RawHTTP.startRequest(port: port, "GET /healthz HTTP/1.1\r\n")
        defer { close(fd) }
        // Every byte resets an idle timer; the head's deadline is not moved by them.
        let (seconds, _) = await RawHTTP.secondsUntilClosed(fd, dripping: String(repeating: "X-Slow: a\r\n", count: 10), every: .milliseconds(300))
        #expect(seconds != nil, "a dripped header was still open after 20 s")
        #expect((.milliseconds(1900)...(.seconds(5))).contains(ContinuousClock.now - opened))
        // A silent new connection gets the same deadline.
        let silentOpened = ContinuousClock.now
        let silent = try RawHTTP.startRequest(port: port, "")
        defer { close(silent) }
        #expect(await RawHTTP.secondsUntilClosed(silent).seconds != nil)
        #expect((.milliseconds(1900)...(.seconds(5))).contains(ContinuousClock.now - silentOpened))
    }

    @Test func anIdleKeptAliveConnectionIsClosedAtTheIdleTimeout() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha")
        let (server, port) = try await ClinicBoxBinary.serve(workspace, Self.timeouts)
        defer { server.terminate() }
        let opened = ContinuousClock.now
        let fd = try RawHTTP.startRequest(port: port, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        defer { close(fd) }
        let (seconds, received) = await RawHTTP.secondsUntilClosed(fd)
        #expect(received.hasPrefix("HTTP/1.1 200 OK"))  // answered, then kept alive until idle
        #expect(seconds != nil && (.milliseconds(2900)...(.seconds(6))).contains(ContinuousClock.now - opened))
    }

    @Test func aStalledOrAbandonedBodyIsLoggedAsTheClientsAndIsNoServerError() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha")
        let metricsPort = ClinicBoxBinary.freePort()
        let (server, port) = try await ClinicBoxBinary.serve(workspace, Self.timeouts + ["--metrics-address", "127.0.0.1:\(metricsPort)"])
        let head =
            "POST /t/alpha/api/v1/auth/token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"email\":"
        let opened = ContinuousClock.now
        let stalled = try RawHTTP.startRequest(port: port, head)
        let (seconds, _) = await RawHTTP.secondsUntilClosed(stalled)
        close(stalled)
        #expect(seconds != nil && (.milliseconds(1900)...(.seconds(5))).contains(ContinuousClock.now - opened))
        let abandoned = try RawHTTP.startRequest(port: port, head)
        try await Task.sleep(for: .milliseconds(300))
        close(abandoned)
        try await Task.sleep(for: .milliseconds(500))
        let metrics = try await RawHTTP.get(port: metricsPort, path: "/metrics", headers: [("Host", "localhost")]).body
        #expect(
            metrics.contains(#"clinicbox_http_requests_total{tenant="alpha",method="POST",route="/t/{tenantID}/api/v1/auth/token",status="499"} 2"#)
        )
        #expect(!metrics.contains("clinicbox_http_server_errors_total{"))
        let log = await ClinicBoxBinary.stop(server)
        #expect(log.components(separatedBy: "status=499").count == 3 && !log.contains("status=500") && !log.contains("unexpected error"))
    }

    @Test func theConnectionCapIsLoggedAndConnectionsWaitForRoom() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha")
        let (server, port) = try await ClinicBoxBinary.serve(workspace, Self.timeouts + ["--max-connections", "4"])
        var idle: [Int32] = []
        let opened = ContinuousClock.now
        for _ in 0..<4 { idle.append(try RawHTTP.startRequest(port: port, "")) }
        try await Task.sleep(for: .milliseconds(300))
        // A fifth client waits in the listen queue, and is answered once the silent ones are cut off (2 s).
        let waiting = try await RawHTTP.get(port: port, path: "/healthz", headers: [("Host", "localhost")])
        #expect(waiting.status == 200 && ContinuousClock.now - opened > .milliseconds(1800))
        for socket in idle { close(socket) }
        let log = await ClinicBoxBinary.stop(server)
        #expect(log.contains("connection limit reached: 4 connections are open (--max-connections 4); new connections wait until one closes"))
    }
}
