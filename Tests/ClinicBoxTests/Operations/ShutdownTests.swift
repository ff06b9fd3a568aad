import ClinicBox
import ClinicBoxCore
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// SIGTERM with a request still in flight: the real binary waits for it, but only as long as `--shutdown-grace`.
@Suite struct ShutdownTests {
    @Test func aStuckRequestHoldsUpTheStopOnlyForTheGracePeriod() async throws {
        let workspace = try TestWorkspace()
        try workspace.writeTenant("alpha")
        let (server, port) = try await ClinicBoxBinary.serve(workspace, ["--shutdown-grace", "2"])
        defer { server.terminate() }
        // A sign-in whose body never finishes arriving: the handler waits for it.
        let stuck = try RawHTTP.startRequest(
            port: port,
            "POST /t/alpha/api/v1/auth/token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"email\""
        )
        defer { close(stuck) }
        try await Task.sleep(for: .milliseconds(300))
        let stopAsked = ContinuousClock.now
        let errors = await ClinicBoxBinary.stop(server)
        let took = ContinuousClock.now - stopAsked
        #expect(server.terminationStatus == 0)
        #expect(took >= .milliseconds(1900) && took < .seconds(8), "stopped after \(took)")
        #expect(errors.contains("request cut off: the server is stopping") && errors.contains("stopped;"))
        #expect(!errors.contains("unexpected error"))
    }
}
